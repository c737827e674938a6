import { test, expect } from 'playwright-background-services';
import type { APIRequestContext } from '@playwright/test';

// What the demo server really received (fixtures/server.mjs: GET /api/messages).
async function receivedByServer(request: APIRequestContext): Promise<string[]> {
  const { messages } = (await (await request.get('/api/messages')).json()) as { messages: Array<{ body: { text: string } }> };
  return messages.map((message) => message.body.text);
}

test('Workbox queues a message sent offline and replays it once the worker is back online', async ({
  page,
  request,
  recordBackgroundService,
  setServiceWorkerOffline,
  backgroundServicesSupport: support,
}) => {
  test.skip(!support.backgroundSync.supported, support.backgroundSync.reason);
  const recording = await recordBackgroundService('backgroundSync');
  await page.goto('/workbox/');
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  // The server is shared by the whole run: a text only this test sends.
  const text = `Meet at noon (${test.info().testId}, run ${test.info().repeatEachIndex})`;

  // The worker loses the connection: its POST fails, Workbox queues it and registers a sync.
  await setServiceWorkerOffline(true);
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#send-status')).toHaveText(/^queued/);
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: 'workbox-background-sync:messages' });
  // Chromium holds the sync while the worker is offline: nothing reached the server.
  await expect(recording).not.toHaveRecordedEvent({ eventName: 'Dispatched sync event' });
  expect(await receivedByServer(request)).not.toContain(text);

  // Back online: the sync fires, Workbox replays the queued POST, and the server has it.
  await setServiceWorkerOffline(false);
  await expect(recording).toHaveRecordedEvents(
    [
      { eventName: 'Registered sync', instanceId: 'workbox-background-sync:messages' },
      { eventName: 'Dispatched sync event', instanceId: 'workbox-background-sync:messages' },
      { eventName: 'Sync completed', instanceId: 'workbox-background-sync:messages', metadata: { Status: 'succeeded' } },
    ],
    { ordered: true },
  );
  expect(await receivedByServer(request)).toContain(text);
});
