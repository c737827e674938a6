import { test, expect } from 'playwright-background-services';

// Fails on purpose: the push handler rejects, and the test expects a success.
test('a push that should have succeeded', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  await page.goto('/push/');
  await triggerPush('Order shipped');
  await triggerPush('reject');
  await expect(recording).not.toHaveRecordedEvent({ metadata: { Status: 'waitUntil Rejected' } }, { timeout: 500 });
});
