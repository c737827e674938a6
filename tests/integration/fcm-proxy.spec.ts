// A backend in another language reaches the FCM stand-in through fcm.env's HTTPS proxy: curl,
// with nothing but the environment, calls messages:send; any other host is tunnelled unchanged.
import { execFile } from 'node:child_process';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { test, expect } from 'playwright-background-services';

const run = promisify(execFile);

test('curl under fcm.env: messages:send through the proxy reaches the worker; another host is tunnelled to itself', async ({ page, fcm }) => {
  await page.goto('/fcm/');
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/:APA91b/);
  const token = fcm.tokens[0]!.token;
  const { access_token: bearer } = await fcm.adminOptions.credential.getAccessToken();
  const env = { ...process.env, ...fcm.env };

  const sent = await run(
    'curl',
    [
      '-sS',
      '-v',
      '--fail-with-body',
      '-H',
      `Authorization: Bearer ${bearer}`,
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ message: { token, notification: { title: 'From curl' } } }),
      'https://fcm.googleapis.com/v1/projects/demo-project/messages:send',
    ],
    { env },
  );
  expect((JSON.parse(sent.stdout) as { name: string }).name).toMatch(/^projects\/demo-project\/messages\//);
  // Through the proxy, and TLS verified against fcm.env's CA bundle under Google's name.
  expect(sent.stderr).toContain('CONNECT fcm.googleapis.com:443');
  expect(sent.stderr).toMatch(/SSL certificate verify ok/);
  await expect(fcm).toHaveReceivedMessage({ token, notification: { title: 'From curl' }, state: 'delivered' });
  expect(fcm.log).toContainEqual(expect.stringContaining('proxy: CONNECT fcm.googleapis.com:443 to the stand-in'));

  // Any other host goes to that host. `--noproxy ''` sends even localhost through the proxy.
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  const other = createServer({ key: pems.private, cert: pems.cert }, (request, response) => response.end(`other host: ${request.url}`));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = other.address() as AddressInfo;
    const tunnelled = await run('curl', ['-sS', '-v', '-k', '--noproxy', '', `https://localhost:${port}/hello`], { env });
    expect(tunnelled.stdout).toBe('other host: /hello');
    expect(tunnelled.stderr).toContain(`CONNECT localhost:${port}`);
    expect(fcm.log).toContainEqual(expect.stringContaining(`proxy: CONNECT localhost:${port} tunnelled unchanged`));
  } finally {
    other.close();
  }
  expect(fcm.messages).toHaveLength(1);

  // Plain HTTP is not forwarded: the proxy only tunnels.
  const plain = await run('curl', ['-sS', '-x', env.HTTPS_PROXY!, '--noproxy', '', 'http://example.com/'], { env });
  expect(plain.stdout).toContain("The FCM stand-in's proxy only tunnels HTTPS (CONNECT host:443); it got GET http://example.com/.");
});
