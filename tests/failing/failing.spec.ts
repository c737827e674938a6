import { test, expect } from 'playwright-background-services';

test.use({ backForwardCache: true });

// Fails on purpose: the push handler rejects, and the test expects a success.
test('a push that should have succeeded', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  await page.goto('/push/');
  await triggerPush('Order shipped');
  await triggerPush('reject');
  await expect(recording).not.toHaveRecordedEvent({ metadata: { Status: 'waitUntil Rejected' } }, { timeout: 500 });
});

// Fails on purpose: an unload handler keeps the page out of the cache.
test('a page that should have been restored', async ({ page, testBackForwardCache }) => {
  await page.goto('/bfcache/unload/');
  const result = await testBackForwardCache();
  expect(result.restored).toBe(true);
});
