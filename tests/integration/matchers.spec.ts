import { readFileSync } from 'node:fs';
import { test, expect, loadRecording, type EventFilter } from 'playwright-background-services';
import { failureOf } from '../support/failureOf.js';

// Saved events have fixed timestamps, so failure messages can be compared exactly.
const savedPath = 'fixtures/recordings/pushMessaging-20261121T054403.json';
const saved = JSON.parse(readFileSync(savedPath, 'utf8')) as unknown[];

const recordedList = [
  'Recorded events (2):',
  '  1.  05:44:03.123  pushMessaging  "Push event dispatched"  https://push.example/  { Payload: "hello" }',
  '  2.  05:44:03.456  pushMessaging  "Push event completed"  https://push.example/  { Status: "waitUntil Rejected" }',
].join('\n');

test.describe('toHaveRecordedEvent', () => {
  test('passes when an event matches by service, name and metadata (string and RegExp)', async () => {
    await expect(saved).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: /Rejected/ } });
    await expect(saved).toHaveRecordedEvent({ serviceWorkerRegistrationId: '7', metadata: { Payload: 'hello' } });
  });

  test('strings match whole values, RegExps match anywhere', async () => {
    await expect(saved).not.toHaveRecordedEvent({ metadata: { Payload: 'hell' } });
    await expect(saved).toHaveRecordedEvent({ metadata: { Payload: /hell/ } });
    await expect(saved).toHaveRecordedEvent({ eventName: /^Push event/ });
  });

  test('{ unlisted } reaches an event the catalogue does not list, by its exact name', async () => {
    const renamed = (saved as { eventName: string }[]).map((event) => ({ ...event, eventName: event.eventName.replace('completed', 'retried') }));
    await expect(renamed).toHaveRecordedEvent({ service: 'pushMessaging', eventName: { unlisted: 'Push event retried' }, metadata: { Status: /Rejected/ } });
    await expect(renamed).not.toHaveRecordedEvent({ eventName: { unlisted: 'Push event retrie' } });
    const message = await failureOf(expect(renamed).toHaveRecordedEvent({ eventName: { unlisted: 'Push event repeated' } }, { timeout: 1 }));
    expect(message.split('\n')[0]).toBe("expect(recording).toHaveRecordedEvent({ eventName: { unlisted: 'Push event repeated' } }) failed");
  });

  test('fails with a Playwright-style message listing what was recorded', async () => {
    const message = await failureOf(
      expect(saved).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } }),
    );
    expect(message).toBe(
      [
        "expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } }) failed",
        '',
        "Expected: { service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } }",
        'Received: 2 event(s) recorded, none matching',
        '',
        recordedList,
        `Closest: event #2 differs in metadata.Status: expected 'Success', got "waitUntil Rejected"`,
      ].join('\n'),
    );
  });

  test('.not passes when nothing matches, and fails naming the matching event', async () => {
    await expect(saved).not.toHaveRecordedEvent({ service: 'notifications' });
    const message = await failureOf(expect(saved).not.toHaveRecordedEvent({ eventName: 'Push event completed' }));
    expect(message).toBe(
      [
        "expect(recording).not.toHaveRecordedEvent({ eventName: 'Push event completed' }) failed",
        '',
        "Expected: not { eventName: 'Push event completed' }",
        'Received: event #2 matches',
        '',
        recordedList,
      ].join('\n'),
    );
  });

  test('rejects a mistyped filter instead of never matching', async () => {
    await expect(expect(saved).toHaveRecordedEvent({ service: 'push' } as never)).rejects.toThrow(
      'expect(recording).toHaveRecordedEvent(): unknown background service "push". Expected one of: backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging. Did you mean \'pushMessaging\'?',
    );
    await expect(expect(saved).toHaveRecordedEvent({ event: 'x' } as never)).rejects.toThrow(
      "expect(recording).toHaveRecordedEvent(): unknown filter field 'event'. Expected any of: service, eventName, instanceId, origin, storageKey, serviceWorkerRegistrationId, metadata, preexisting.",
    );
  });

  test('rejects a receiver that is not a recording', async () => {
    await expect(expect(42).toHaveRecordedEvent({})).rejects.toThrow(
      'expect(received).toHaveRecordedEvent(): received must be a recording from recordBackgroundService() or an array of saved events (DevTools\' "Save events" JSON), got number.',
    );
  });

  test('works on a recording loaded from a DevTools "Save events" file', async () => {
    const recording = await loadRecording(savedPath);
    expect(recording.events).toHaveLength(2);
    expect(recording.events[1]!.metadata).toEqual({ Status: 'waitUntil Rejected' });
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'waitUntil Rejected' } });
  });
});

test.describe('toHaveRecordedEvents', () => {
  const dispatched: EventFilter = { eventName: 'Push event dispatched' };
  const completed: EventFilter = { eventName: 'Push event completed' };

  test('passes when every filter has its own event, in any order', async () => {
    await expect(saved).toHaveRecordedEvents([completed, dispatched]);
  });

  test('needs a distinct event per filter, even when a greedy pick would take the wrong one', async () => {
    // The first filter matches both events; only a proper assignment satisfies both.
    await expect(saved).toHaveRecordedEvents([{ service: 'pushMessaging' }, dispatched]);
    await expect(saved).not.toHaveRecordedEvents([dispatched, dispatched]);
  });

  test('{ ordered: true } fails when the order differs, naming the first missing step', async () => {
    await expect(saved).toHaveRecordedEvents([dispatched, completed], { ordered: true });
    const message = await failureOf(expect(saved).toHaveRecordedEvents([completed, dispatched], { ordered: true }));
    expect(message).toBe(
      [
        "expect(recording).toHaveRecordedEvents([{ eventName: 'Push event completed' }, { eventName: 'Push event dispatched' }], { ordered: true }) failed",
        '',
        "Expected: [{ eventName: 'Push event completed' }, { eventName: 'Push event dispatched' }], { ordered: true }",
        "Received: 1 of 2 matched; no event for [1] { eventName: 'Push event dispatched' } after the earlier ones",
        '',
        recordedList,
      ].join('\n'),
    );
  });

  test('.not fails when all filters match', async () => {
    const message = await failureOf(expect(saved).not.toHaveRecordedEvents([dispatched, completed]));
    expect(message.split('\n').slice(0, 4)).toEqual([
      "expect(recording).not.toHaveRecordedEvents([{ eventName: 'Push event dispatched' }, { eventName: 'Push event completed' }]) failed",
      '',
      "Expected: not [{ eventName: 'Push event dispatched' }, { eventName: 'Push event completed' }]",
      'Received: all 2 matched by events #1, #2',
    ]);
  });

  test('rejects an empty list', async () => {
    await expect(expect(saved).toHaveRecordedEvents([])).rejects.toThrow(
      'expect(recording).toHaveRecordedEvents(): expected a non-empty array of event filters, got an empty array.',
    );
  });
});

test.describe('on a live recording', () => {
  test('waits for an event that arrives later', async ({ page, recordBackgroundService }) => {
    const recording = await recordBackgroundService('notifications');
    await page.goto('/notifications/');
    const assertion = expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', metadata: { Title: 'Soon' } });
    await page.getByLabel('Title').fill('Soon');
    await page.getByRole('button', { name: 'Show notification' }).click();
    await assertion;
  });

  test('fails after its own timeout, with the Timeout line and what was recorded', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('hello');
    const started = Date.now();
    const message = await failureOf(expect(recording).toHaveRecordedEvent({ metadata: { Status: 'Timeout' } }, { timeout: 400 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(message).toMatch(
      /^expect\(recording\)\.toHaveRecordedEvent\(\{ metadata: \{ Status: 'Timeout' \} \}\) failed\n\nExpected: \{ metadata: \{ Status: 'Timeout' \} \}\nReceived: 2 event\(s\) recorded, none matching\nTimeout: 400ms\n\nRecorded events \(2\):\n {2}1\. .*"Push event dispatched".*\n {2}2\. .*"Push event completed".*\{ Status: "Success" \}$/,
    );
  });

  test('follows expect.configure({ timeout })', async ({ page, recordBackgroundService }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    const message = await failureOf(expect.configure({ timeout: 250 })(recording).toHaveRecordedEvent({ service: 'pushMessaging' }));
    expect(message).toContain('Received: no events recorded\nTimeout: 250ms');
  });

  test('.not waits for a clear() to remove the event', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('hello');
    const assertion = expect(recording).not.toHaveRecordedEvent({ eventName: 'Push event completed' });
    await recording.clear();
    await assertion;
  });

  test('ordered events from a real push, then a notification', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
    await page.goto('/push/');
    await triggerPush('ordered');
    await expect(recording).toHaveRecordedEvents(
      [
        { service: 'pushMessaging', eventName: 'Push event dispatched', metadata: { Payload: 'ordered' } },
        { service: 'notifications', eventName: 'Notification displayed', metadata: { Title: 'ordered' } },
        { service: 'pushMessaging', eventName: 'Push event completed' },
      ],
      { ordered: true },
    );
  });
});
