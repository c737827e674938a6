import { test, expect } from 'playwright-background-services';

test('first: a push that succeeds', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService('pushMessaging');
  await page.goto('/push/');
  await triggerPush('first shard');
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
});

// Fails on purpose: its evidence must survive the blob report and the merge.
test('first: a push that should have succeeded', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService('pushMessaging');
  await page.goto('/push/');
  await triggerPush('reject');
  await expect(recording).toHaveRecordedEvent({ metadata: { Status: 'Success' } }, { timeout: 200 });
});

test('first: a saved recording matches', async () => {
  await expect([
    {
      timestamp: 1,
      origin: '',
      serviceWorkerRegistrationId: '',
      service: 'backgroundSync',
      eventName: 'Dispatched sync event',
      instanceId: '',
      eventMetadata: [],
      storageKey: '',
    },
  ]).toHaveRecordedEvent({ eventName: 'Dispatched sync event' });
});
