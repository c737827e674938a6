// A backend that does not trust the local servers' certificate sends nothing: the matcher that
// then fails says that a client refused the certificate, and how to trust it, instead of only
// "no messages".
import https from 'node:https';
import { test, expect } from 'playwright-background-services';
import { startPushBackend } from '../../fixtures/push-backend.mjs';
import { failureOf } from '../support/failureOf.js';

test('a backend without the push service certificate: toHaveReceivedPush names the refusal and the fix', async ({ page, pushService }) => {
  await page.goto('/push/');
  await page.getByRole('button', { name: 'Enable push notifications' }).click();
  await expect.poll(() => pushService.subscriptions.length).toBe(1);
  // A backend (web-push) with Node's own trust, which lacks the push service's self-signed certificate.
  const backend = await startPushBackend();
  try {
    await fetch(`${backend.url}/subscribe`, { method: 'POST', body: JSON.stringify({ ...pushService.subscriptions[0], expirationTime: null }) });
    expect(await backend.notify({ payload: 'hello' }).catch((error: Error) => error.message)).toBe('self-signed certificate');
  } finally {
    await backend.close();
  }

  // The server learns of the broken handshake a moment after the client gave up.
  const failure = () => failureOf(expect(pushService).toHaveReceivedPush({}, { timeout: 10 }));
  await expect
    .poll(async () => (await failure()).split('\n').slice(-2))
    .toEqual([
      'Push messages: none',
      'A client refused the certificate of the push service: 1 TLS handshake broken off (the client hung up during the TLS handshake). ' +
        'Trust it in your backend: NODE_EXTRA_CA_CERTS=<a file holding pushService.certificate> (a webServer backend: backgroundServicesWebServer().env), ' +
        "or web-push's { agent: new https.Agent({ ca: pushService.certificate }) }.",
    ]);
});

test('a client that refuses the FCM stand-in certificate: toHaveReceivedMessage names the refusal', async ({ fcm }) => {
  // The fcm fixture sends this process's connections to FCM's hosts to the stand-in; this client
  // checks the server's identity its own way and refuses it.
  const refused = await new Promise<string>((resolve) => {
    https
      .get({ host: 'fcm.googleapis.com', path: '/', checkServerIdentity: () => new Error('not the certificate this client pins') }, () => resolve('connected'))
      .on('error', (error) => resolve(error.message));
  });
  expect(refused).toBe('not the certificate this client pins');

  const failure = () => failureOf(expect(fcm).toHaveReceivedMessage({}, { timeout: 10 }));
  await expect
    .poll(async () => (await failure()).split('\n').at(-1))
    .toBe(
      'A client refused the certificate of the FCM stand-in: 1 TLS handshake broken off (the client hung up during the TLS handshake). ' +
        'Trust it in your backend: NODE_EXTRA_CA_CERTS=<fcm.env.NODE_EXTRA_CA_CERTS> (fcm.env for a backend the test starts, ' +
        "backgroundServicesWebServer().env for a webServer backend), or fcm.adminOptions in the test's own process.",
    );
});
