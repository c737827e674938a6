import { test, expect } from 'playwright-background-services';

test('fails with a clear error', async ({ recordBackgroundService }) => {
  expect(await recordBackgroundService()).toBeDefined();
});

test.describe('opted in to skipping', () => {
  test.use({ backgroundServicesUnsupportedBrowser: 'skip' });
  test('is skipped', async ({ triggerPush }) => {
    await triggerPush('never');
  });
});
