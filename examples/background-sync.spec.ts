import { test, expect } from 'playwright-background-services';

test('DevTools\' "Sync" button: fire a sync event at the service worker', async ({ page, triggerSync }) => {
  await page.goto('/sync/');
  const { dispatched } = await triggerSync('outbox');
  expect(dispatched.metadata['Last Chance']).toBe('No');
  await expect(page.locator('#log')).toContainText('outbox');
});

test('a sync registered offline is sent when the connection comes back', async ({
  page,
  recordBackgroundService,
  setServiceWorkerOffline,
  backgroundServicesSupport: support,
}) => {
  test.skip(!support.backgroundSync.supported, support.backgroundSync.reason);
  const recording = await recordBackgroundService('backgroundSync');
  await page.goto('/sync/');
  await setServiceWorkerOffline(true);

  await page.getByRole('button', { name: 'Register background sync' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: 'outbox' });

  await setServiceWorkerOffline(false);
  await expect(recording).toHaveRecordedEvents(
    [
      { eventName: 'Registered sync', instanceId: 'outbox' },
      { eventName: 'Dispatched sync event', instanceId: 'outbox' },
      { eventName: 'Sync completed', instanceId: 'outbox', metadata: { Status: 'succeeded' } },
    ],
    { ordered: true },
  );
});
