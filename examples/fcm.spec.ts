import { test, expect } from 'playwright-background-services';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';

// A Firebase app (fixtures/public/fcm/: the modular SDK in the page, the compat SDK in its worker)
// and firebase-admin, both real, against the test's local stand-in for FCM: nothing leaves the machine.
// getToken() needs the notification permission, which chrome-headless-shell blocks.
test.beforeEach(({ backgroundServicesSupport: support }) => test.skip(!support.notifications.supported, support.notifications.reason));

test('firebase-admin sends; the page gets it through onMessage', async ({ page, fcm, recordBackgroundService }) => {
  const recording = await recordBackgroundService(['pushMessaging']);
  await page.goto('/fcm/');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/:APA91b/); // getToken() resolved
  const token = fcm.tokens[0]!.token;

  // Your backend's code, unchanged: only the credential comes from the fixture.
  const app = initializeApp({ projectId: 'demo-project', ...fcm.adminOptions });
  try {
    await getMessaging(app).send({ token, notification: { title: 'Order shipped' }, data: { orderId: '42' } });
  } finally {
    await deleteApp(app);
  }

  await expect(fcm).toHaveReceivedMessage({ token, notification: { title: 'Order shipped' }, state: 'delivered' });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
  await expect(page.locator('#messages')).toContainText('"orderId":"42"');
});

test('a deleted token: firebase-admin gets registration-token-not-registered', async ({ page, fcm }) => {
  await page.goto('/fcm/');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/:APA91b/);
  const token = fcm.tokens[0]!.token;
  await page.getByRole('button', { name: 'Disable' }).click(); // deleteToken()
  await expect(page.locator('#token')).toHaveText('deleted');

  const app = initializeApp({ projectId: 'demo-project', ...fcm.adminOptions });
  try {
    await expect(getMessaging(app).send({ token, data: { hello: 'again' } })).rejects.toMatchObject({ code: 'messaging/registration-token-not-registered' });
  } finally {
    await deleteApp(app);
  }
});

test.describe('in the background', () => {
  // Chromium shows the notification on the desktop of the machine it runs on, which the test plays.
  test.use({ desktopNotifications: true });
  test.skip(({ connectOptions }) => !!connectOptions, "desktopNotifications needs the browser on this machine's session D-Bus");

  test("the SDK shows the notification; a click opens the message's link", async ({ page, context, fcm, desktop, clickNotification, baseURL }) => {
    await page.goto('/fcm/');
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await expect(page.locator('#token')).toHaveText(/:APA91b/);
    await page.goto('about:blank'); // the user left: no page of the app is visible

    const link = `${baseURL}/fcm/order.html?id=42`; // FCM wants https://; the stand-in also takes http:// on localhost
    const app = initializeApp({ projectId: 'demo-project', ...fcm.adminOptions });
    try {
      await getMessaging(app).send({ token: fcm.tokens[0]!.token, notification: { title: 'Order shipped' }, webpush: { fcmOptions: { link } } });
    } finally {
      await deleteApp(app);
    }

    await expect(desktop).toHaveShownNotification({ title: 'Order shipped' });
    const opened = context.waitForEvent('page');
    await clickNotification({ title: 'Order shipped' });
    await expect(await opened).toHaveURL(link);
  });
});
