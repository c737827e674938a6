import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { test, expect, createBackgroundServices, SERVICES, loadRecording, TargetClosedError } from 'playwright-background-services';
import { failureOf } from '../support/failureOf.js';

test.describe('recordBackgroundService', () => {
  test('records all six services when none are named', async ({ recordBackgroundService }) => {
    const recording = await recordBackgroundService();
    expect(recording.services).toEqual(SERVICES);
    expect(recording.isRecording).toBe(true);
    expect(recording.events).toEqual([]);
  });

  test('gives events with metadata as a plain object, and only for the services recorded', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('hello');
    const names = recording.events.map((event) => event.eventName);
    expect(names).toEqual(['Push event dispatched', 'Push event completed']);
    const [dispatched] = recording.events;
    expect(dispatched!.metadata).toEqual({ Payload: 'hello' });
    expect(dispatched!.eventMetadata).toEqual([{ key: 'Payload', value: 'hello' }]);
    expect(dispatched!.origin).toBe(new URL(page.url()).origin + '/');
    expect(dispatched!.preexisting).toBe(false);
    // The notification the push showed is not part of a pushMessaging-only recording.
    expect(recording.events.every((event) => event.service === 'pushMessaging')).toBe(true);
  });

  test('waitForEvent resolves on an event that comes later', async ({ page, recordBackgroundService }) => {
    const recording = await recordBackgroundService('notifications');
    await page.goto('/notifications/');
    const shown = recording.waitForEvent({ eventName: 'Notification displayed' });
    await page.getByLabel('Title').fill('Later');
    await page.getByRole('button', { name: 'Show notification' }).click();
    expect((await shown).metadata.Title).toBe('Later');
  });

  test('waitForEvent times out listing what was recorded', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('hello');
    const error = await recording.waitForEvent({ eventName: 'Push event completed', metadata: { Status: 'Timeout' } }, { timeout: 300 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^recording\.waitForEvent\(\{ eventName: 'Push event completed', metadata: \{ Status: 'Timeout' \} \}\): no matching event within 300ms\.\nRecorded events \(2\):\n {2}1\. {2}\d\d:\d\d:\d\d\.\d{3} {2}pushMessaging {2}"Push event dispatched" {2}http:\/\/localhost:\d+\/ {2}\{ Payload: "hello" \}\n {2}2\. .*"Push event completed".*\{ Status: "Success" \}$/,
    );
  });

  test('stop() stops recording and start() resumes, with no duplicates', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('one');
    await recording.stop();
    expect(recording.isRecording).toBe(false);
    await triggerPush('two'); // still confirmed: the trigger keeps the browser recording for itself
    await recording.start();
    await triggerPush('three');
    const payloads = recording.events.filter((e) => e.eventName === 'Push event dispatched').map((e) => e.metadata.Payload);
    expect(payloads).toEqual(['one', 'three']);
  });

  test('clear() empties the recording and the browser store', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('before');
    await recording.clear();
    expect(recording.events).toEqual([]);
    await triggerPush('after');
    expect(recording.events.map((e) => e.metadata.Payload).filter(Boolean)).toEqual(['after']);

    // A new observer sees only what is still stored: the cleared events are gone for good.
    const other = await createBackgroundServices(page, { grantPermissions: false });
    const replay = await other.record('pushMessaging');
    expect(replay.events.map((e) => e.metadata.Payload).filter(Boolean)).toEqual(['after']);
    await other.dispose();
  });

  test('events the browser stored before the recording are flagged preexisting and ignored by default', async ({ page, backgroundServices }) => {
    await page.goto('/push/');
    const earlier = await backgroundServices.record('pushMessaging');
    await backgroundServices.triggerPush('earlier');
    await earlier.stop();

    const later = await createBackgroundServices(page, { grantPermissions: false });
    const recording = await later.record('pushMessaging');
    expect(recording.events.map((e) => [e.eventName, e.preexisting])).toEqual([
      ['Push event dispatched', true],
      ['Push event completed', true],
    ]);
    await expect(recording).not.toHaveRecordedEvent({ metadata: { Payload: 'earlier' } });
    await expect(recording).toHaveRecordedEvent({ metadata: { Payload: 'earlier' }, preexisting: true });
    await later.dispose();
  });

  test('hides events from other domains when asked, as DevTools does', async ({ page, recordBackgroundService, triggerPush, baseURL }) => {
    const recording = await recordBackgroundService('pushMessaging', { showEventsFromOtherDomains: false });
    await page.goto('/push/');
    await triggerPush('from localhost');
    expect(recording.events).toHaveLength(2);
    // 127.0.0.1 is another origin on the same server.
    await page.goto(baseURL!.replace('localhost', '127.0.0.1') + '/');
    expect(recording.events).toHaveLength(0);
    recording.setShowEventsFromOtherDomains(true);
    expect(recording.events).toHaveLength(2);
  });

  test('toJSON() and save() write DevTools "Save events" files that load back exactly', async ({ page, recordBackgroundService, triggerPush }, testInfo) => {
    const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
    await page.goto('/push/');
    await triggerPush('saved');
    await expect(recording).toHaveRecordedEvent({ service: 'notifications' });
    const json = recording.toJSON();
    expect(Object.keys(json[0]!)).toEqual([
      'timestamp',
      'origin',
      'serviceWorkerRegistrationId',
      'service',
      'eventName',
      'instanceId',
      'eventMetadata',
      'storageKey',
    ]);

    const files = await recording.save(testInfo.outputPath('saved'));
    expect(files.map((file) => basename(file).replace(/\d{8}T\d{6}/, 'STAMP'))).toEqual(['pushMessaging-STAMP.json', 'notifications-STAMP.json']);
    const text = await readFile(files[0]!, 'utf8');
    expect(text).toBe(
      JSON.stringify(
        json.filter((e) => e.service === 'pushMessaging'),
        undefined,
        2,
      ),
    );
    const loaded = await loadRecording(files[0]!);
    expect(loaded.events.map(({ metadata, preexisting, ...event }) => event)).toEqual(json.filter((e) => e.service === 'pushMessaging'));
  });

  test('a wait fails fast and clearly when the page closes', async ({ page, recordBackgroundService }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    const waiting = recording.waitForEvent({ eventName: 'Push event completed' }, { timeout: 30_000 }).catch((e: Error) => e);
    await page.close();
    const error = await waiting;
    expect(error).toBeInstanceOf(TargetClosedError);
    expect((error as Error).message).toMatch(/^The page \(http:\/\/localhost:\d+\/push\/\) was closed\.$/);
  });

  test('rejects unknown services, naming the valid ones', async ({ recordBackgroundService }) => {
    // @ts-expect-error: not a service name (what a JavaScript caller can pass)
    await expect(recordBackgroundService(['pushMessages'])).rejects.toThrow(
      'recordBackgroundService(): unknown background service "pushMessages". Expected one of: backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging. Did you mean \'pushMessaging\'?',
    );
    await expect(recordBackgroundService([])).rejects.toThrow(
      'recordBackgroundService(): the list of services is empty. Pass one or more of: backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging, or nothing to record all of them.',
    );
  });

  test('maxEvents keeps the newest events, counts the dropped ones and names them in failures', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging', { maxEvents: 3 });
    await page.goto('/push/');
    for (const payload of ['first', 'second', 'third']) await triggerPush(payload);
    expect(recording.droppedEvents).toBe(3);
    expect(recording.events.map((event) => `${event.eventName} ${event.metadata.Payload ?? ''}`.trim())).toEqual([
      'Push event completed',
      'Push event dispatched third',
      'Push event completed',
    ]);
    // The event numbers stay those of the whole recording: #4 is the oldest kept.
    await expect(recording).toHaveRecordedEvent({ metadata: { Payload: 'third' } });
    const message = await failureOf(expect(recording).toHaveRecordedEvent({ metadata: { Payload: 'first' } }, { timeout: 100 }));
    expect(message).toContain('Received: 3 event(s) recorded, none matching');
    expect(message).toContain('Recorded events (3; 3 older event(s) dropped by maxEvents):\n  4.  ');
    const waited = await recording.waitForEvent({ eventName: 'Push event completed' });
    expect(recording.events.indexOf(waited)).toBe(0);
    await recording.clear();
    expect(recording.droppedEvents).toBe(0);
  });

  test('maxEvents from createBackgroundServices() bounds every recording and the evidence', async ({ page }) => {
    const services = await createBackgroundServices(page, { maxEvents: 2 });
    try {
      const recording = await services.record('pushMessaging');
      await page.goto('/push/');
      await services.triggerPush('one');
      await services.triggerPush('two');
      expect(recording.events.map((event) => event.metadata.Payload ?? '-')).toEqual(['two', '-']);
      const evidence = await services.evidence();
      expect(evidence.events).toHaveLength(2);
      expect(evidence.droppedEvents).toBe(2);
    } finally {
      await services.dispose();
    }
  });

  test('with other domains hidden, a wait scans a stable list and still sees new events', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('pushMessaging', { showEventsFromOtherDomains: false, maxEvents: 4 });
    await page.goto('/push/');
    const waiting = expect(recording).toHaveRecordedEvent({ metadata: { Payload: 'last' } });
    for (const payload of ['a', 'b', 'last']) await triggerPush(payload);
    await waiting;
    expect(recording.events).toHaveLength(4);
    expect(recording.droppedEvents).toBe(2);
  });
});
