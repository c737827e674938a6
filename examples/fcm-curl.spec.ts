import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test, expect } from 'playwright-background-services';

// A backend in another language (Python, Go, PHP…) reaches the FCM stand-in through the HTTPS
// proxy and CA bundle in fcm.env: here curl, as a shell script of your backend would call it.
test.beforeEach(({ backgroundServicesSupport: support }) => test.skip(!support.notifications.supported, support.notifications.reason));

test('curl calls messages:send through fcm.env; the page gets the message', async ({ page, fcm }) => {
  await page.goto('/fcm/');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/:APA91b/);
  const token = fcm.tokens[0]!.token;
  // Your backend gets its access token from the service account in GOOGLE_APPLICATION_CREDENTIALS;
  // the fixture's own credential is the short way for a shell command.
  const { access_token } = await fcm.adminOptions.credential.getAccessToken();

  const { stdout } = await promisify(execFile)(
    'curl',
    [
      '-sS',
      '--fail-with-body',
      '-H',
      `Authorization: Bearer ${access_token}`,
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ message: { token, notification: { title: 'Sent by curl' }, data: { orderId: '7' } } }),
      'https://fcm.googleapis.com/v1/projects/demo-project/messages:send',
    ],
    { env: { ...process.env, ...fcm.env } },
  );
  expect(JSON.parse(stdout)).toEqual({ name: expect.stringMatching(/^projects\/demo-project\/messages\//) });

  await expect(fcm).toHaveReceivedMessage({ token, notification: { title: 'Sent by curl' }, state: 'delivered' });
  await expect(page.locator('#messages')).toContainText('"orderId":"7"');
});
