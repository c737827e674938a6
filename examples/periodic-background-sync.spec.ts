import { test, expect } from 'playwright-background-services';

test('registering periodic sync, then a periodic sync event', async ({
  page,
  recordBackgroundService,
  triggerPeriodicSync,
  backgroundServicesSupport: support,
}) => {
  test.skip(!support.periodicBackgroundSync.supported, support.periodicBackgroundSync.reason);
  const recording = await recordBackgroundService('periodicBackgroundSync');
  await page.goto('/periodic-sync/');

  await page.getByRole('button', { name: 'Register periodic sync' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered periodicsync', instanceId: 'content-update' });

  await triggerPeriodicSync('content-update');
  await expect(recording).toHaveRecordedEvent({ eventName: 'Dispatched periodicsync event', instanceId: 'content-update' });
  await expect(page.locator('#log')).toContainText('content-update');
});
