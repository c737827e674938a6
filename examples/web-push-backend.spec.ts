import { test, expect } from 'playwright-background-services';
// Your application server; this one keeps subscriptions and pushes with the web-push library.
import { startPushBackend } from '../fixtures/push-backend.mjs';

test('the backend pushes through a real push service and the worker shows a notification', async ({
  page,
  pushService,
  recordBackgroundService,
  backgroundServicesSupport: support,
}) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  // The push service's certificate is self-signed: the backend's HTTPS agent trusts it.
  const backend = await startPushBackend({ ca: pushService.certificate });
  try {
    const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
    await page.goto(`/push-backend/?backend=${encodeURIComponent(backend.url)}`);
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');

    // pushManager.subscribe() in the page, then the subscription goes to the backend.
    await page.getByRole('button', { name: 'Enable push notifications' }).click();
    await expect(page.locator('#push-status')).toHaveText(/^subscribed: https:\/\/127\.0\.0\.1/);

    // The backend's "notify everyone": webpush.sendNotification() with its VAPID keys.
    const payload = JSON.stringify({ title: 'Order shipped', body: 'Your parcel is on its way' });
    const [sent] = await backend.notify({ payload, urgency: 'high', topic: 'order-42' });
    expect(sent?.statusCode).toBe(201);

    await expect(pushService).toHaveReceivedPush({ payload: { title: 'Order shipped' }, urgency: 'high', topic: 'order-42', state: 'delivered' });
    await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event dispatched', metadata: { Payload: payload } });
    await expect(recording).toHaveRecordedEvent({ service: 'notifications', eventName: 'Notification displayed', metadata: { Title: 'Order shipped' } });
  } finally {
    await backend.close();
  }
});

test('the backend forgets a subscription the push service says is gone', async ({ page, pushService }) => {
  const backend = await startPushBackend({ ca: pushService.certificate });
  try {
    await page.goto(`/push-backend/?backend=${encodeURIComponent(backend.url)}`);
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    await page.getByRole('button', { name: 'Enable push notifications' }).click();
    await expect(page.locator('#push-status')).toHaveText(/^subscribed/);

    pushService.expire(backend.subscriptions[0]!); // as when the browser dropped it
    const [sent] = await backend.notify({ payload: 'anyone there?' });

    expect(sent?.statusCode).toBe(410);
    expect(backend.subscriptions).toEqual([]);
    await expect(pushService).not.toHaveReceivedPush({ payload: 'anyone there?' });
  } finally {
    await backend.close();
  }
});
