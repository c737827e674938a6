// The local Web Push service: real subscriptions in the page, a real backend (web-push) pushing
// through it, real decryption and VAPID checks, delivery to the real service worker.
import https from 'node:https';
import type { Page } from '@playwright/test';
import { importJWK, SignJWT } from 'jose';
import { test as base, expect, type PushService } from 'playwright-background-services';
import { failureOf } from '../support/failureOf.js';
import { startPushBackend, type PushBackend } from '../../fixtures/push-backend.mjs';

const test = base.extend<{ backend: PushBackend }>({
  backend: async ({ pushService }, use) => {
    const backend = await startPushBackend({ ca: pushService.certificate });
    await use(backend);
    await backend.close();
  },
});

async function subscribe(page: Page, backend: PushBackend): Promise<string> {
  await page.goto(`/push-backend/?backend=${encodeURIComponent(backend.url)}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  await page.getByRole('button', { name: 'Enable push notifications' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-push-state', 'subscribed');
  return (await page.locator('#push-status').textContent())!.replace('subscribed: ', '');
}

test('the backend pushes with web-push; the service decrypts, checks VAPID and delivers to the worker', async ({
  page,
  pushService,
  backend,
  recordBackgroundService,
}) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  const endpoint = await subscribe(page, backend);

  expect(endpoint.startsWith(`${pushService.url}/push/`)).toBe(true);
  const [subscription] = pushService.subscriptions;
  expect(subscription).toMatchObject({
    endpoint,
    applicationServerKey: backend.vapidKeys.publicKey,
    scope: new URL('/push-backend/', page.url()).href,
    state: 'active',
  });
  expect(backend.subscriptions).toEqual([{ endpoint, expirationTime: null, keys: subscription!.keys }]);

  const payload = JSON.stringify({ title: 'Order shipped', body: 'Parcel 42' });
  const [result] = await backend.notify({ payload, urgency: 'high', topic: 'order-42', TTL: 60 });
  expect(result).toMatchObject({ statusCode: 201, location: expect.stringMatching(`^${pushService.url}/messages/`) });

  await expect(pushService).toHaveReceivedPush({ payload: { title: 'Order shipped' }, urgency: 'high', topic: 'order-42', ttl: 60, state: 'delivered' });
  const [message] = pushService.messages;
  expect(message).toMatchObject({
    payload,
    contentEncoding: 'aes128gcm',
    status: 'Success',
    vapid: { scheme: 'vapid', subject: backend.subject, audience: new URL(pushService.url).origin, publicKey: backend.vapidKeys.publicKey },
  });
  await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event dispatched', metadata: { Payload: payload } });
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', eventName: 'Notification displayed', metadata: { Title: 'Order shipped' } });
});

/** A push request as any application server sends it, for the headers web-push gets right. */
async function post(endpoint: string, ca: string, headers: Record<string, string>, body = Buffer.alloc(0)): Promise<{ status: number; text: string }> {
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const request = https.request(endpoint, { method: 'POST', ca, headers: { 'Content-Length': String(body.length), ...headers } }, resolve);
    request.on('error', reject);
    request.end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
}

/** A VAPID token signed with the backend's key, with claims a test chooses. */
async function vapidToken(backend: PushBackend, claims: Record<string, unknown>): Promise<string> {
  const raw = Buffer.from(backend.vapidKeys.publicKey, 'base64url');
  const key = await importJWK(
    { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url'), d: backend.vapidKeys.privateKey },
    'ES256',
  );
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
}

function nothingDelivered(pushService: PushService) {
  expect(pushService.messages).toEqual([]);
}

test.describe('refusals, as real push services answer them', () => {
  test('no VAPID: 401, the reason in the body and the log, nothing delivered', { tag: '@once' }, async ({ page, pushService, backend }) => {
    const endpoint = await subscribe(page, backend);
    const [result] = await backend.notify({ payload: 'hi', vapid: false });
    const reason =
      'Missing Authorization header: this subscription was created with an applicationServerKey, so every message needs VAPID (Authorization: vapid t=<JWT>, k=<public key>; RFC 8292).';
    expect(result).toEqual({ endpoint, statusCode: 401, body: `${reason}\n` });
    expect(pushService.rejected).toEqual([{ path: new URL(endpoint).pathname, status: 401, reason, receivedAt: expect.any(Number) }]);
    expect(pushService.log.at(-1)).toContain(`401 POST ${new URL(endpoint).pathname}: ${reason}`);
    nothingDelivered(pushService);
  });

  test('VAPID signed with another key pair: 403', { tag: '@once' }, async ({ page, pushService, backend }) => {
    const endpoint = await subscribe(page, backend);
    const other = await startPushBackend({ ca: pushService.certificate });
    try {
      await other.notify({});
      const subscription = backend.subscriptions[0]!;
      await fetch(`${other.url}/subscribe`, { method: 'POST', body: JSON.stringify(subscription) });
      const [result] = await other.notify({ payload: 'hi' });
      expect(result).toEqual({
        endpoint,
        statusCode: 403,
        body:
          `The VAPID public key ${other.vapidKeys.publicKey} is not the applicationServerKey this subscription was created with (${backend.vapidKeys.publicKey}). ` +
          'Sign with the key pair whose public key the page passed to pushManager.subscribe().\n',
      });
    } finally {
      await other.close();
    }
    nothingDelivered(pushService);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const tokens: Array<{ name: string; claims: (audience: string) => Record<string, unknown>; reason: (audience: string) => string }> = [
    {
      name: 'aud another origin',
      claims: () => ({ aud: 'https://push.example', exp: now() + 3600, sub: 'mailto:a@example.com' }),
      reason: (aud) => `The VAPID token was refused: its aud is not this push service's origin ${aud}.`,
    },
    {
      name: 'exp in the past',
      claims: (aud) => ({ aud, exp: now() - 3600, sub: 'mailto:a@example.com' }),
      reason: () => 'The VAPID token was refused: "exp" claim timestamp check failed.',
    },
    {
      name: 'exp beyond 24 hours',
      claims: (aud) => ({ aud, exp: now() + 48 * 3600, sub: 'mailto:a@example.com' }),
      reason: () => expect.stringMatching(/^The VAPID token expires \S+, more than 24 hours from now \(RFC 8292 §2\)\.$/) as unknown as string,
    },
    { name: 'no exp', claims: (aud) => ({ aud, sub: 'mailto:a@example.com' }), reason: () => 'The VAPID token was refused: missing required "exp" claim.' },
    {
      name: 'sub not a contact',
      claims: (aud) => ({ aud, exp: now() + 3600, sub: 'someone' }),
      reason: () => `The VAPID token's sub must be a mailto: or https: contact, got "someone".`,
    },
  ];
  for (const { name, claims, reason } of tokens) {
    test(`VAPID token with ${name}: 403`, { tag: '@once' }, async ({ page, pushService, backend }) => {
      const endpoint = await subscribe(page, backend);
      const audience = new URL(pushService.url).origin;
      const token = await vapidToken(backend, claims(audience));
      const response = await post(endpoint, pushService.certificate, { TTL: '60', Authorization: `vapid t=${token}, k=${backend.vapidKeys.publicKey}` });
      expect(response.status).toBe(403);
      expect(pushService.rejected).toEqual([{ path: new URL(endpoint).pathname, status: 403, reason: reason(audience), receivedAt: expect.any(Number) }]);
      expect(response.text).toBe(`${pushService.rejected[0]!.reason}\n`);
      nothingDelivered(pushService);
    });
  }

  test('a payload over 4096 bytes: 413', { tag: '@once' }, async ({ page, pushService, backend }) => {
    await subscribe(page, backend);
    const [result] = await backend.notify({ payload: 'x'.repeat(4000) });
    // aes128gcm adds 86 bytes of header, 16 of tag and 1 of padding.
    expect(result).toMatchObject({ statusCode: 413, body: 'The message body is 4103 bytes; this push service accepts at most 4096 (RFC 8030 §7.2).\n' });
    nothingDelivered(pushService);
  });

  test('an unknown endpoint: 404, and the backend prunes it', { tag: '@once' }, async ({ page, pushService, backend }) => {
    const endpoint = await subscribe(page, backend);
    const unknown = `${pushService.url}/push/no-such-subscription`;
    await fetch(`${backend.url}/subscribe`, { method: 'POST', body: JSON.stringify({ ...backend.subscriptions[0], endpoint: unknown }) });
    const results = await backend.notify({ payload: 'hi' });
    expect(results.map((r) => [r.endpoint, r.statusCode])).toEqual([
      [endpoint, 201],
      [unknown, 404],
    ]);
    expect(results[1]!.body).toBe(`No subscription has this endpoint (${unknown}).\n`);
    expect(backend.pruned).toEqual([unknown]);
    await expect(pushService).toHaveReceivedPush({ payload: 'hi', state: 'delivered' });
    expect(pushService.messages).toHaveLength(1);
  });

  test('an expired subscription: 410, the backend prunes it, the page has none', async ({ page, pushService, backend }) => {
    const endpoint = await subscribe(page, backend);
    pushService.expire(backend.subscriptions[0]!);
    const [result] = await backend.notify({ payload: 'hi' });
    expect(result).toEqual({ endpoint, statusCode: 410, body: 'The subscription is gone (expired): delete it from your backend.\n' });
    expect(backend.pruned).toEqual([endpoint]);
    expect(backend.subscriptions).toEqual([]);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription())).toBeNull();
    nothingDelivered(pushService);
  });

  test('after the page unsubscribes: 410', async ({ page, pushService, backend }) => {
    const endpoint = await subscribe(page, backend);
    await page.getByRole('button', { name: 'Disable' }).click();
    await expect(page.locator('#push-status')).toHaveText('unsubscribed');
    expect(pushService.subscriptions[0]!.state).toBe('unsubscribed');
    const [result] = await backend.notify({ payload: 'hi' });
    expect(result).toEqual({ endpoint, statusCode: 410, body: 'The subscription is gone (the page unsubscribed): delete it from your backend.\n' });
    nothingDelivered(pushService);
  });
});

test('TTL, Urgency and Topic are recorded and honoured while delivery is held', async ({ page, pushService, backend }) => {
  await subscribe(page, backend);
  pushService.holdDelivery();
  await backend.notify({ payload: 'score 1-0', topic: 'score', urgency: 'low', TTL: 600 });
  await backend.notify({ payload: 'score 2-0', topic: 'score', urgency: 'low', TTL: 600 });
  await backend.notify({ payload: 'now or never', TTL: 0, urgency: 'high' });
  await backend.notify({ payload: 'short-lived', TTL: 1, urgency: 'very-low' });
  await backend.notify({ payload: 'newsletter', TTL: 600 });
  const shortLived = pushService.messages[3]!;
  // The TTL has to run out: wait for the clock, not for the service.
  await expect.poll(() => Date.now() > shortLived.receivedAt + 1000).toBe(true);
  await pushService.releaseDelivery();

  expect(pushService.messages.map((m) => [m.payload, m.state, m.ttl, m.urgency, m.topic])).toEqual([
    ['score 1-0', 'replaced', 600, 'low', 'score'],
    ['score 2-0', 'delivered', 600, 'low', 'score'],
    ['now or never', 'dropped', 0, 'high', undefined],
    ['short-lived', 'expired', 1, 'very-low', undefined],
    ['newsletter', 'delivered', 600, 'normal', undefined],
  ]);
  await expect(pushService).toHaveReceivedPush({ topic: 'score', state: 'delivered', payload: 'score 2-0' });
  await expect(pushService).not.toHaveReceivedPush({ payload: 'score 1-0', state: 'delivered' });
});

test('TTL 0 is delivered when delivery is not held', async ({ page, pushService, backend }) => {
  await subscribe(page, backend);
  await backend.notify({ payload: 'now', TTL: 0 });
  await expect(pushService).toHaveReceivedPush({ payload: 'now', ttl: 0, state: 'delivered' });
});

test('the older aesgcm encoding with "Authorization: WebPush" and Crypto-Key, and a message without payload', async ({
  page,
  pushService,
  backend,
  recordBackgroundService,
}) => {
  const recording = await recordBackgroundService(['pushMessaging']);
  await subscribe(page, backend);
  await backend.notify({ payload: 'legacy', contentEncoding: 'aesgcm' });
  await expect(pushService).toHaveReceivedPush({ payload: 'legacy', state: 'delivered' });
  expect(pushService.messages[0]).toMatchObject({ contentEncoding: 'aesgcm', vapid: { scheme: 'WebPush', publicKey: backend.vapidKeys.publicKey } });
  await backend.notify({ payload: null });
  await expect(pushService).toHaveReceivedPush({ payload: '', state: 'delivered' });
  expect(pushService.messages[1]!.contentEncoding).toBeNull();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'legacy' } });
});

test('the page sees a PushSubscription as Chromium makes them', async ({ page, pushService, backend }) => {
  await page.goto(`/push-backend/?backend=${encodeURIComponent(backend.url)}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  const key = backend.vapidKeys.publicKey;
  const seen = await page.evaluate(async (key) => {
    const { pushManager } = await navigator.serviceWorker.ready;
    const encode = (buffer: ArrayBuffer | null) =>
      buffer
        ? btoa(String.fromCharCode(...new Uint8Array(buffer)))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '')
        : null;
    const error = (e: unknown) => `${(e as DOMException).name}: ${(e as DOMException).message}`;
    const before = await pushManager.getSubscription();
    const notVisible = await pushManager.subscribe({ applicationServerKey: key }).catch(error);
    const badKey = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: new Uint8Array(10) }).catch(error);
    const offCurve = new Uint8Array(65);
    offCurve[0] = 4;
    const notOnCurve = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: offCurve }).catch(error);
    const raw = Uint8Array.from(atob(key.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const first = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: raw });
    const again = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const otherPair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const otherKey = await crypto.subtle.exportKey('raw', otherPair.publicKey);
    const conflict = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: otherKey }).catch(error);
    const got = await pushManager.getSubscription();
    const json = first.toJSON();
    const result = {
      before,
      notVisible,
      badKey,
      notOnCurve,
      conflict,
      isPushSubscription: first instanceof PushSubscription,
      sameEndpoint: again.endpoint === first.endpoint && got?.endpoint === first.endpoint,
      json,
      p256dh: encode(first.getKey('p256dh')),
      auth: encode(first.getKey('auth')),
      applicationServerKey: encode(first.options.applicationServerKey),
      userVisibleOnly: first.options.userVisibleOnly,
      unsubscribed: await first.unsubscribe(),
      unsubscribedAgain: await first.unsubscribe(),
      after: await pushManager.getSubscription(),
    };
    return result;
  }, key);
  const [subscription] = pushService.subscriptions;
  expect(seen).toEqual({
    before: null,
    notVisible: 'NotAllowedError: Registration failed - permission denied (Chrome only supports subscriptions with userVisibleOnly: true)',
    badKey: 'InvalidAccessError: The provided applicationServerKey is not valid.',
    notOnCurve: 'InvalidAccessError: The provided applicationServerKey is not valid: it is not a point on the P-256 curve.',
    conflict:
      'InvalidStateError: Registration failed - A subscription with a different applicationServerKey (or gcm_sender_id) already exists; to change the applicationServerKey, unsubscribe then resubscribe.',
    isPushSubscription: true,
    sameEndpoint: true,
    json: { endpoint: subscription!.endpoint, expirationTime: null, keys: subscription!.keys },
    p256dh: subscription!.keys.p256dh,
    auth: subscription!.keys.auth,
    applicationServerKey: key,
    userVisibleOnly: true,
    unsubscribed: true,
    unsubscribedAgain: false,
    after: null,
  });
  expect(Buffer.from(subscription!.keys.auth, 'base64url')).toHaveLength(16);
  expect(Buffer.from(subscription!.keys.p256dh, 'base64url')).toHaveLength(65);
});

test('toHaveReceivedPush: pass, .not, and the exact failure message', async ({ page, pushService, backend }) => {
  const endpoint = await subscribe(page, backend);
  await backend.notify({ payload: 'hello', urgency: 'high', TTL: 30 });
  await expect(pushService).toHaveReceivedPush({ payload: /hel+o/, urgency: 'high' });
  await expect(pushService).not.toHaveReceivedPush({ payload: 'hello', urgency: 'low' });
  await expect(pushService).toHaveReceivedPush({ payload: 'hello', state: 'delivered', endpoint });
  const message = await failureOf(expect(pushService).toHaveReceivedPush({ payload: 'bye', topic: 'greeting' }, { timeout: 200 }));
  expect(message).toBe(
    [
      'expect(pushService).toHaveReceivedPush({ payload: "bye", topic: "greeting" }) failed',
      '',
      'Expected: { payload: "bye", topic: "greeting" }',
      'Received: 1 message(s), none matching',
      'Timeout: 200ms',
      '',
      'Push messages (1):',
      `  1.  delivered (Success)  "hello"  urgency=high ttl=30  → ${new URL('/push-backend/', page.url()).href}`,
    ].join('\n'),
  );
  const notMessage = await failureOf(expect(pushService).not.toHaveReceivedPush({ payload: 'hello' }, { timeout: 200 }));
  expect(notMessage.split('\n').slice(0, 4)).toEqual([
    'expect(pushService).not.toHaveReceivedPush({ payload: "hello" }) failed',
    '',
    'Expected: not { payload: "hello" }',
    'Received: message #1 matches',
  ]);
});

test('a service worker subscribes through the same service, and the backend reaches it', async ({ page, pushService, backend }) => {
  await page.goto(`/push-backend/?backend=${encodeURIComponent(backend.url)}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  const answer = await page.evaluate(async (applicationServerKey) => {
    const registration = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    const replied = new Promise<{ subscription?: PushSubscriptionJSON; again?: string; error?: string }>(
      (resolve) => (channel.port1.onmessage = (event) => resolve(event.data as Parameters<typeof resolve>[0])),
    );
    registration.active!.postMessage({ type: 'subscribe-in-worker', applicationServerKey }, [channel.port2]);
    const fromWorker = await replied;
    return { ...fromWorker, inPage: (await registration.pushManager.getSubscription())?.endpoint };
  }, backend.vapidKeys.publicKey);
  expect(answer.error).toBeUndefined();
  const [subscription] = pushService.subscriptions;
  expect(answer).toEqual({
    subscription: { endpoint: subscription!.endpoint, expirationTime: null, keys: subscription!.keys },
    again: subscription!.endpoint,
    inPage: subscription!.endpoint,
  });
  await fetch(`${backend.url}/subscribe`, { method: 'POST', body: JSON.stringify(answer.subscription) });
  await backend.notify({ payload: 'from the worker subscription' });
  await expect(pushService).toHaveReceivedPush({ payload: 'from the worker subscription', state: 'delivered' });
});
