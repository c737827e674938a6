import { test, expect } from 'playwright-background-services';

// A colleague saw the push handler's waitUntil() reject in DevTools and saved the events
// ("Save events" in Application > Background Services > Push Messaging). This spec started as
// `npx playwright-background-services spec fixtures/recordings/push-bug/pushMessaging-20261121T060653.json`;
// the only edit is the page to open.
const saved = 'fixtures/recordings/push-bug/pushMessaging-20261121T060653.json';

test('reproduces pushMessaging-20261121T060653', async ({ page, recordBackgroundService, triggerPush, backgroundServicesSupport: support }) => {
  // The demo's push handler shows a notification: without them, every push ends "waitUntil Rejected".
  test.skip(!support.notifications.supported, support.notifications.reason);
  const recording = await recordBackgroundService(['pushMessaging']);
  await page.goto('/push/');

  await triggerPush('Order shipped');
  await triggerPush('reject');

  await expect(recording).toMatchRecording(saved);
});
