import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { test, expect } from 'playwright-background-services';
import { failureOf } from '../support/failureOf.js';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';

let apps: App[] = [];
test.afterEach(async () => {
  await Promise.all(apps.map((app) => deleteApp(app)));
  apps = [];
});

function admin(fcm: { adminOptions: object }, projectId = 'demo-project') {
  const app = initializeApp({ projectId, ...fcm.adminOptions }, `test-${apps.length}-${Date.now()}`);
  apps.push(app);
  return getMessaging(app);
}

async function tokenOf(page: Page, query = ''): Promise<string> {
  await page.goto(`/fcm/${query}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/^[\w-]+:APA91b/);
  return (await page.locator('#token').textContent())!;
}

/** firebase-admin's error code for a send, or 'ok'. */
async function codeOf(send: Promise<unknown>): Promise<string> {
  return send.then(
    () => 'ok',
    (error: { code?: string; message?: string }) => error.code ?? `no code: ${error.message}`,
  );
}

test('getToken with the default VAPID key, then send() from firebase-admin reaches onMessage', async ({ page, fcm }) => {
  const token = await tokenOf(page);
  expect(fcm.tokens).toMatchObject([{ token, projectId: 'demo-project', state: 'active', topics: [] }]);

  const name = await admin(fcm).send({ token, notification: { title: 'Order shipped', body: 'On its way' }, data: { order: '42' } });
  expect(name).toMatch(/^projects\/demo-project\/messages\//);
  await expect(fcm).toHaveReceivedMessage({ token, notification: { title: 'Order shipped' }, data: { order: '42' }, state: 'delivered' });
  const received = JSON.parse((await page.locator('#messages li').first().textContent())!) as Record<string, unknown>;
  expect(received).toMatchObject({ from: '1234567890', notification: { title: 'Order shipped', body: 'On its way' }, data: { order: '42' } });
  expect(received.messageId).toBe(name.split('/').pop());
});

test("the app's own VAPID key subscribes with that key", async ({ page, fcm, pushService }) => {
  const vapidKey = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';
  await tokenOf(page, `?vapidKey=${vapidKey}`);
  expect(pushService.subscriptions.map((s) => s.applicationServerKey)).toEqual([vapidKey]);
  expect(fcm.tokens).toHaveLength(1);
});

test("FCM's errors reach firebase-admin as its real codes", async ({ page, fcm }) => {
  const token = await tokenOf(page);
  const messaging = admin(fcm);
  expect(await codeOf(messaging.send({ token: `${token.slice(0, -4)}AAAA`, data: { a: 'b' } }))).toBe('messaging/registration-token-not-registered');
  expect(await codeOf(messaging.send({ token: 'not a token', data: { a: 'b' } }))).toBe('messaging/invalid-argument');
  expect(await codeOf(admin(fcm, 'another-project').send({ token, data: { a: 'b' } }))).toBe('messaging/mismatched-credential');
  expect(await codeOf(messaging.send({ token, data: { big: 'x'.repeat(4100) } }))).toBe('messaging/invalid-argument');
  expect(fcm.rejected.map((r) => `${r.status} ${r.errorCode}`)).toEqual([
    '404 UNREGISTERED',
    '400 INVALID_ARGUMENT',
    '403 SENDER_ID_MISMATCH',
    '400 INVALID_ARGUMENT',
  ]);
  expect(fcm.rejected[3]!.reason).toMatch(/Message is too big: its payload is \d+ bytes, the limit is 4096/);
  await expect(fcm).not.toHaveReceivedMessage({ token }, { timeout: 0 });

  // validate_only checks the message and delivers nothing.
  await messaging.send({ token, notification: { title: 'dry run' } }, true);
  await expect(fcm).toHaveReceivedMessage({ notification: { title: 'dry run' }, state: 'validated' });
  await expect(page.locator('#messages li')).toHaveCount(0);
});

test('the page deletes its token: the next send is not registered', async ({ page, fcm, pushService }) => {
  const token = await tokenOf(page);
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.locator('#token')).toHaveText('deleted');
  expect(fcm.tokens).toMatchObject([{ token, state: 'deleted' }]);
  expect(pushService.subscriptions.map((s) => s.state)).toEqual(['unsubscribed']);
  expect(await codeOf(admin(fcm).send({ token, data: { a: 'b' } }))).toBe('messaging/registration-token-not-registered');
});

test('a week later getToken refreshes the token (PATCH) and it still receives', async ({ page, fcm }) => {
  await page.clock.install();
  const token = await tokenOf(page);
  await page.clock.fastForward(8 * 24 * 60 * 60 * 1000);
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect.poll(() => fcm.log.some((line) => line.includes('refreshed by the page'))).toBe(true);
  await expect(page.locator('#token')).toHaveText(token);
  await admin(fcm).send({ token, data: { after: 'refresh' } });
  await expect(fcm).toHaveReceivedMessage({ token, data: { after: 'refresh' }, state: 'delivered' });
});

test('topics and conditions: batchAdd, batchRemove, send({ topic }) and &&, ||, !', async ({ page, fcm }) => {
  const token = await tokenOf(page);
  const messaging = admin(fcm);
  expect((await messaging.subscribeToTopic([token, 'unknown-token-0000000000'], 'news')).failureCount).toBe(1);
  await messaging.subscribeToTopic(token, 'sport');
  expect(fcm.tokens[0]!.topics.sort()).toEqual(['news', 'sport']);

  await messaging.send({ topic: 'news', data: { n: '1' } });
  await messaging.send({ condition: "'news' in topics && !('weather' in topics)", data: { n: '2' } });
  await messaging.send({ condition: "'weather' in topics || ('sport' in topics && 'news' in topics)", data: { n: '3' } });
  await messaging.send({ condition: "'news' in topics && 'weather' in topics", data: { n: '4' } });
  await messaging.unsubscribeFromTopic(token, 'news');
  await messaging.send({ topic: 'news', data: { n: '5' } });
  expect(await codeOf(messaging.send({ condition: "'a' in topics &&", data: { n: '6' } }))).toBe('messaging/invalid-argument');

  for (const n of ['1', '2', '3']) await expect(fcm).toHaveReceivedMessage({ data: { n }, state: 'delivered' });
  await expect(fcm).toHaveReceivedMessage({ data: { n: '4' }, state: 'no-recipients' });
  await expect(fcm).toHaveReceivedMessage({ topic: 'news', data: { n: '5' }, state: 'no-recipients' });
  await expect(page.locator('#messages li')).toHaveCount(3);
});

test('webpush.headers: a held message is replaced by its Topic, TTL 0 is dropped, the rest arrive on release', async ({ page, fcm, pushService }) => {
  const token = await tokenOf(page);
  const messaging = admin(fcm);
  pushService.holdDelivery();
  await messaging.send({ token, data: { v: 'old' }, webpush: { headers: { Topic: 'score' } } });
  await messaging.send({ token, data: { v: 'new' }, webpush: { headers: { Topic: 'score', Urgency: 'high' } } });
  await messaging.send({ token, data: { v: 'now-or-never' }, webpush: { headers: { TTL: '0' } } });
  await expect(fcm).toHaveReceivedMessage({ data: { v: 'old' }, state: 'replaced' });
  await expect(fcm).toHaveReceivedMessage({ data: { v: 'now-or-never' }, state: 'dropped' });
  await expect(fcm).toHaveReceivedMessage({ data: { v: 'new' }, state: 'pending' });
  await pushService.releaseDelivery();
  await expect(fcm).toHaveReceivedMessage({ data: { v: 'new' }, state: 'delivered' });
  await expect(page.locator('#messages li')).toHaveText([/"v":"new"/]);
  expect(fcm.messages.find((m) => m.data?.v === 'new')).toMatchObject({ urgency: 'high', payload: { priority: 'high', collapse_key: 'score' } });
});

test('a Node backend under fcm.env: service account, OAuth, HTTP/2 multicast', async ({ page, fcm }) => {
  const token = await tokenOf(page);
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.locator('#token')).toHaveText('deleted');
  const fresh = await tokenOf(page);
  const { stdout } = await promisify(execFile)(process.execPath, ['fixtures/fcm-backend.mjs', 'demo-project', 'From the backend', fresh, token], {
    env: { ...process.env, ...fcm.env },
  });
  expect(JSON.parse(stdout)).toEqual({
    successCount: 1,
    failureCount: 1,
    responses: [{ messageId: expect.stringMatching(/^projects\/demo-project\/messages\//) }, { error: 'messaging/registration-token-not-registered' }],
  });
  expect(fcm.log.some((line) => line.includes('OAuth token issued to fcm-stand-in@'))).toBe(true);
  await expect(fcm).toHaveReceivedMessage({ token: fresh, notification: { title: 'From the backend' }, state: 'delivered' });
});

test('no request of the page leaves for a host outside the loopback', async ({ page, fcm, context }) => {
  const remote: string[] = [];
  context.on('response', (response) => {
    void response.serverAddr().then((address) => {
      if (address && !/^(127\.|::1$|\[::1\]$)/.test(address.ipAddress)) remote.push(`${response.url()} ${address.ipAddress}`);
    });
  });
  const token = await tokenOf(page);
  await admin(fcm).send({ token, notification: { title: 'local' } });
  await expect(fcm).toHaveReceivedMessage({ state: 'delivered' });
  expect(remote).toEqual([]);
  expect(fcm.log.filter((line) => line.includes('404 for'))).toEqual([]);
});

test('toHaveReceivedMessage: the failure lists the tokens, the messages and the refusals', async ({ page, fcm }) => {
  const token = await tokenOf(page);
  const messaging = admin(fcm);
  await messaging.send({ token, notification: { title: 'Order shipped' } });
  await codeOf(messaging.send({ token: 'not a token', data: { a: 'b' } }));
  await expect(fcm).toHaveReceivedMessage({ notification: { title: 'Order shipped' }, state: 'delivered' });

  const prefix = token.slice(0, 12);
  const details = [
    `FCM tokens: ${prefix}… (active)`,
    'FCM messages (1):',
    `  1.  delivered  {"token":"${token}"}  {"notification":{"title":"Order shipped"}}`,
    'Refused (1):',
    '  1.  400 INVALID_ARGUMENT: The registration token is not a valid FCM registration token',
  ].join('\n');
  expect(await failureOf(expect(fcm).toHaveReceivedMessage({ notification: { title: 'Order delivered' } }, { timeout: 10 }))).toBe(
    [
      'expect(fcm).toHaveReceivedMessage({ notification: {"title":"Order delivered"} }) failed',
      '',
      'Expected: { notification: {"title":"Order delivered"} }',
      'Received: 1 message(s), none matching',
      'Timeout: 10ms',
      '',
      details,
    ].join('\n'),
  );
  expect(await failureOf(expect(fcm).not.toHaveReceivedMessage({ token }, { timeout: 10 }))).toBe(
    [
      `expect(fcm).not.toHaveReceivedMessage({ token: "${token}" }) failed`,
      '',
      `Expected: not { token: "${token}" }`,
      'Received: message #1 matches',
      'Timeout: 10ms',
      '',
      details,
    ].join('\n'),
  );
  await expect(expect(fcm).toHaveReceivedMessage({ tokn: token } as never)).rejects.toThrow(
    "expect(fcm).toHaveReceivedMessage(): unknown filter field 'tokn'. Expected any of: token, topic, condition, notification, data, state.",
  );
});

test('in the background a data-only message reaches onBackgroundMessage, which shows its own notification', async ({ page, fcm, recordBackgroundService }) => {
  const recording = await recordBackgroundService('notifications');
  const token = await tokenOf(page);
  await page.goto('about:blank'); // no visible page of the app: the SDK's worker takes the message
  await admin(fcm).send({ token, data: { title: 'Ping', body: 'data only' } });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', metadata: { Title: 'Ping', Body: 'data only' } });
  await expect(fcm).toHaveReceivedMessage({ token, data: { title: 'Ping' }, state: 'delivered' });
});

test('fcmOptions.link: HTTPS, or plain HTTP on the loopback only', async ({ page, fcm }) => {
  const token = await tokenOf(page);
  const send = (link: string) => codeOf(admin(fcm).send({ token, notification: { title: link }, webpush: { fcmOptions: { link } } }));
  expect(await send('https://shop.example/orders/42')).toBe('ok');
  expect(await send('http://127.0.0.1:8080/orders/42')).toBe('ok');
  expect(await send('http://shop.example/orders/42')).toBe('messaging/invalid-argument');
  expect(await send('http://localhost.shop.example/')).toBe('messaging/invalid-argument');
  expect(fcm.rejected.map((r) => r.reason)).toEqual([
    `Invalid value at 'message.webpush.fcm_options.link': the link must be an HTTPS URL (or http:// on localhost, 127.0.0.1 or [::1]), got "http://shop.example/orders/42".`,
    `Invalid value at 'message.webpush.fcm_options.link': the link must be an HTTPS URL (or http:// on localhost, 127.0.0.1 or [::1]), got "http://localhost.shop.example/".`,
  ]);
});

test.describe('on the desktop', () => {
  test.use({ desktopNotifications: true });

  test('foreground goes to onMessage; background shows the notification, whose click opens fcmOptions.link', async ({
    page,
    context,
    fcm,
    desktop,
    clickNotification,
    baseURL,
  }) => {
    const token = await tokenOf(page);
    const messaging = admin(fcm);
    const link = `${baseURL}/fcm/order.html?id=42`;

    await messaging.send({ token, notification: { title: 'In front' }, webpush: { fcmOptions: { link } } });
    await expect(page.locator('#messages li')).toHaveText([/"title":"In front"/]);

    await page.goto('about:blank');
    await messaging.send({ token, notification: { title: 'Order shipped', body: 'On its way' }, webpush: { fcmOptions: { link } } });
    await expect(desktop).toHaveShownNotification({ title: 'Order shipped', body: 'On its way', origin: new URL(baseURL!).host });
    // The visible page took the first message: the SDK showed no notification for it.
    expect(desktop.notifications.map((n) => n.title)).toEqual(['Order shipped']);

    const opened = context.waitForEvent('page');
    const clicked = await clickNotification({ title: 'Order shipped' });
    const order = await opened;
    await expect(order).toHaveURL(link);
    await expect(order.locator('#order')).toHaveText('42');
    await expect.poll(() => clicked.closedBy).toBe('browser');
  });

  test("a data-only message in the background: the app's own notification from onBackgroundMessage", async ({ page, fcm, desktop }) => {
    const token = await tokenOf(page);
    await page.goto('about:blank');
    await admin(fcm).send({ token, data: { title: 'Ping', body: 'data only' } });
    await expect(desktop).toHaveShownNotification({ title: 'Ping', body: 'data only' });
  });
});
