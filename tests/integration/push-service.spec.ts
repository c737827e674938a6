// The local Web Push service: real subscriptions in the page, a real backend (web-push) pushing
// through it, real decryption and VAPID checks, delivery to the real service worker.
import type { Page } from '@playwright/test';
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

test('the backend pushes with web-push; the service decrypts, checks VAPID and delivers to the worker', async ({ page, pushService, backend, recordBackgroundService }) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  const endpoint = await subscribe(page, backend);

  expect(endpoint.startsWith(`${pushService.url}/push/`)).toBe(true);
  const [subscription] = pushService.subscriptions;
  expect(subscription).toMatchObject({ endpoint, applicationServerKey: backend.vapidKeys.publicKey, scope: new URL('/push-backend/', page.url()).href, state: 'active' });
  expect(backend.subscriptions).toEqual([{ endpoint, expirationTime: null, keys: subscription!.keys }]);

  const payload = JSON.stringify({ title: 'Order shipped', body: 'Parcel 42' });
  const [result] = await backend.notify({ payload, urgency: 'high', topic: 'order-42', TTL: 60 });
  expect(result).toMatchObject({ statusCode: 201, location: expect.stringMatching(`^${pushService.url}/messages/`) });

  await expect(pushService).toHaveReceivedPush({ payload: { title: 'Order shipped' }, urgency: 'high', topic: 'order-42', ttl: 60, state: 'delivered' });
  const [message] = pushService.messages;
  expect(message).toMatchObject({ payload, contentEncoding: 'aes128gcm', status: 'Success', vapid: { scheme: 'vapid', subject: backend.subject, audience: new URL(pushService.url).origin, publicKey: backend.vapidKeys.publicKey } });
  await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event dispatched', metadata: { Payload: payload } });
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', eventName: 'Notification displayed', metadata: { Title: 'Order shipped' } });
});
