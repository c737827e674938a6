import { test, expect } from 'playwright-background-services';

test.describe('setServiceWorkerOffline', () => {
  test('a sync registered while offline waits, and fires once back online', async ({ page, recordBackgroundService, triggerPush, setServiceWorkerOffline }) => {
    const recording = await recordBackgroundService(['backgroundSync', 'pushMessaging']);
    await page.goto('/sync/');
    await setServiceWorkerOffline(true);

    await page.getByLabel('Tag').fill('outbox-offline');
    await page.getByRole('button', { name: 'Register background sync' }).click();
    await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: 'outbox-offline' });
    // The worker is alive and handles other events meanwhile: a push goes through...
    await triggerPush('still alive', { scope: '/sync/' });
    // ...but the sync is held back, as it is for a real user offline. The page stays online.
    await expect(recording).not.toHaveRecordedEvent({ eventName: 'Dispatched sync event' });
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);

    await setServiceWorkerOffline(false);
    await expect(recording).toHaveRecordedEvents(
      [
        { eventName: 'Registered sync', instanceId: 'outbox-offline' },
        { eventName: 'Dispatched sync event', instanceId: 'outbox-offline', metadata: { 'Last Chance': 'No' } },
        { eventName: 'Sync completed', instanceId: 'outbox-offline', metadata: { Status: 'succeeded' } },
      ],
      { ordered: true },
    );
    await expect(page.locator('#log')).toContainText('outbox-offline');
  });

  test('online again without going offline first is a no-op', async ({ page, setServiceWorkerOffline }) => {
    await page.goto('/sync/');
    await setServiceWorkerOffline(false);
  });

  test('rejects anything but a boolean', async ({ page, setServiceWorkerOffline }) => {
    await page.goto('/sync/');
    await expect(setServiceWorkerOffline('offline' as never)).rejects.toThrow(
      'setServiceWorkerOffline(): expected true (offline) or false (online), got "offline".',
    );
  });
});
