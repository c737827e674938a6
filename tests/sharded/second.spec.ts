import { test, expect } from 'playwright-background-services';

test('second: a sync that is dispatched', async ({ page, recordBackgroundService, triggerSync }) => {
  const recording = await recordBackgroundService('backgroundSync');
  await page.goto('/sync/');
  await triggerSync('outbox');
  await expect(recording).toHaveRecordedEvent({ eventName: 'Dispatched sync event' });
});

// Fails on purpose: its evidence must survive the blob report and the merge.
test('second: a push that should have been shown', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  await page.goto('/push/');
  await triggerPush('second shard');
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: 'never shown' } }, { timeout: 200 });
});

test('second: nothing recorded yet', async ({ recordBackgroundService }) => {
  const recording = await recordBackgroundService('paymentHandler', { clear: true });
  await expect(recording).not.toHaveRecordedEvent({});
});
