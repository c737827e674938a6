import { test, expect } from 'playwright-background-services';

test('showing a notification is logged', async ({ page, recordBackgroundService, backgroundServicesSupport: support }) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  const recording = await recordBackgroundService('notifications');
  await page.goto('/notifications/');

  await page.getByLabel('Title').fill('Your order shipped');
  await page.getByRole('button', { name: 'Show notification' }).click();
  await expect(recording).toHaveRecordedEvent({
    eventName: 'Notification displayed',
    instanceId: 'demo', // the notification's tag
    metadata: { Title: 'Your order shipped' },
  });

  // Headless Chromium 156 logs no "Notification closed" when page code closes one: check the page.
  await page.getByRole('button', { name: 'Close notification' }).click();
  await expect(page.locator('#log')).toContainText('Closed 1 notification(s) with tag "demo"');
});
