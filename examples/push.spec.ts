import { test, expect } from 'playwright-background-services';

test('a push message shows a notification', async ({ page, recordBackgroundService, triggerPush, backgroundServicesSupport: support }) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  await page.goto('/push/');

  await triggerPush('hello'); // to the page's service worker, like DevTools' "Push" button

  await expect(recording).toHaveRecordedEvent({
    service: 'pushMessaging',
    eventName: 'Push event completed',
    metadata: { Status: 'Success' },
  });
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: /hello/ } });
});

test('a push handler whose waitUntil rejects is reported', async ({ page, triggerPush }) => {
  await page.goto('/push/');
  const { status } = await triggerPush('reject');
  expect(status).toBe('waitUntil Rejected');
});
