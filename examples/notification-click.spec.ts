import { test, expect } from 'playwright-background-services';

// Chromium hands its notifications to the desktop over D-Bus; with this option the test plays
// the desktop: it sees what was shown, and clicks or dismisses it as the user would.
test.use({ desktopNotifications: true });
// The desktop is the one of the machine the browser runs on: a remote browser server's is out of reach.
const remoteDesktop = "desktopNotifications needs the browser on this machine's session D-Bus, and this project runs on a remote browser server";
test.skip(({ connectOptions }) => !!connectOptions, remoteDesktop);

test.beforeEach(async ({ page }) => {
  await page.goto('/desktop-notifications/');
  await page.getByRole('button', { name: 'Notify me' }).click();
});

test('clicking the notification opens the message', async ({ context, desktop, clickNotification }) => {
  await expect(desktop).toHaveShownNotification({ title: 'New message', body: 'Hi there', buttons: ['Archive', 'Reply'] });

  const opened = context.waitForEvent('page');
  await clickNotification({ title: 'New message' });
  const message = await opened;
  await expect(message).toHaveURL(/opened\.html\?tag=message-1$/);
  await expect(message.getByRole('heading')).toHaveText('Opened from a notification');
});

test('its Archive button archives without opening a window', async ({ page, context, clickNotification }) => {
  await clickNotification({ tag: 'message-1', action: 'archive' });
  await expect(page.locator('#last-event')).toHaveText('notificationclick "New message" tag=message-1 action=archive');
  expect(context.pages().filter((p) => p.url().includes('opened.html'))).toHaveLength(0);
});

test('dismissing it is reported to the page', async ({ page, closeNotification }) => {
  await closeNotification({ title: 'New message' });
  await expect(page.locator('#last-event')).toHaveText('notificationclose "New message" tag=message-1');
});
