import { test, expect } from 'playwright-background-services';
import type { APIRequestContext, Page } from '@playwright/test';

const SYNC_TAG = 'workbox-background-sync:inbox';

// An inbox of the demo server's that only this test (and this repeat) writes to.
function testInbox(): string {
  const { testId, repeatEachIndex, retry } = test.info();
  return `${testId}-${repeatEachIndex}-${retry}`;
}

// What the demo server really received in that inbox (fixtures/server.mjs: GET /api/inbox/<id>).
async function receivedByServer(request: APIRequestContext, inbox: string): Promise<string[]> {
  const { messages } = (await (await request.get(`/api/inbox/${inbox}`)).json()) as { messages: Array<{ body: { text: string } }> };
  return messages.map((message) => message.body.text);
}

// How many requests Workbox still holds in its IndexedDB queue, as the demo page counts them.
async function queuedRequests(page: Page): Promise<string> {
  await page.locator('#queued').evaluate((element) => (element.textContent = ''));
  await page.getByRole('button', { name: 'Show the queue' }).click();
  await expect(page.locator('#queued')).not.toHaveText('');
  return (await page.locator('#queued').textContent()) ?? '';
}

test.beforeEach(({ backgroundServicesSupport: support }) => {
  test.skip(!support.backgroundSync.supported, support.backgroundSync.reason);
});

test('Workbox drops a message that waited offline longer than maxRetentionTime (24 h)', async ({
  page,
  request,
  recordBackgroundService,
  setServiceWorkerOffline,
  serviceWorkerClock,
}) => {
  const inbox = testInbox();
  const recording = await recordBackgroundService('backgroundSync');
  // Before the worker starts: Workbox stamps a queued request with the worker's Date.now().
  await serviceWorkerClock.install();
  await page.goto(`/workbox-retention/?inbox=${inbox}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');

  // Offline: the POST fails, Workbox queues it in IndexedDB and registers a sync, which Chromium holds.
  await setServiceWorkerOffline(true);
  await page.getByLabel('Message').fill('Meet at noon');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#send-status')).toHaveText(/^queued/);
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: SYNC_TAG });
  expect(await queuedRequests(page)).toBe('1');

  // A day and an hour later the connection comes back: the sync fires, and Workbox drops the stale request.
  await serviceWorkerClock.fastForward('25:00:00');
  await setServiceWorkerOffline(false);
  await expect(recording).toHaveRecordedEvents(
    [
      { eventName: 'Dispatched sync event', instanceId: SYNC_TAG },
      { eventName: 'Sync completed', instanceId: SYNC_TAG, metadata: { Status: 'succeeded' } },
    ],
    { ordered: true },
  );
  expect(await queuedRequests(page)).toBe('0');
  expect(await receivedByServer(request, inbox)).toEqual([]);
});

test('Workbox replays a message that waited offline less than maxRetentionTime', async ({
  page,
  request,
  recordBackgroundService,
  setServiceWorkerOffline,
  serviceWorkerClock,
}) => {
  const inbox = testInbox();
  const recording = await recordBackgroundService('backgroundSync');
  await serviceWorkerClock.install();
  await page.goto(`/workbox-retention/?inbox=${inbox}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');

  await setServiceWorkerOffline(true);
  await page.getByLabel('Message').fill('Meet at noon');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#send-status')).toHaveText(/^queued/);
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: SYNC_TAG });

  // 23 hours later: still within the retention, so Workbox replays the request when the sync fires.
  await serviceWorkerClock.fastForward('23:00:00');
  await setServiceWorkerOffline(false);
  await expect(recording).toHaveRecordedEvent({ eventName: 'Sync completed', instanceId: SYNC_TAG, metadata: { Status: 'succeeded' } });
  expect(await queuedRequests(page)).toBe('0');
  expect(await receivedByServer(request, inbox)).toEqual(['Meet at noon']);
});
