// What the demo pages really make Chromium log, against EVENT_CATALOGUE: every event name,
// metadata key and known value is in it, and the events marked "seen" are exactly the ones a
// demo logs (so the "Seen" column of docs/events.md stays true).
import { test, expect, EVENT_CATALOGUE, type BackgroundServiceRecording, type ServiceName } from 'playwright-background-services';
import { EVENT_CATALOGUE_NOTES } from '#internal';
import { catalogueGaps } from '../../scripts/event-catalogue.mjs';

function expectCatalogued(recording: BackgroundServiceRecording, service: ServiceName): void {
  const events = recording.eventsOf(service);
  expect(catalogueGaps(EVENT_CATALOGUE, events)).toEqual([]);
  const seen = Object.entries(EVENT_CATALOGUE_NOTES[service].events).flatMap(([name, note]) => (note?.seen ? [name] : []));
  expect([...new Set(events.map((event) => event.eventName))].sort()).toEqual(seen.sort());
}

test('push: dispatched and completed, each Status a demo can cause', async ({ page, recordBackgroundService, triggerPush }) => {
  const recording = await recordBackgroundService('pushMessaging');
  await page.goto('/push/');
  expect((await triggerPush('reject')).status).toBe('waitUntil Rejected');
  expect((await triggerPush({ outcome: 'throw' })).status).toBe('Success');
  expectCatalogued(recording, 'pushMessaging');
});

test('notifications: displayed, then closed by page code', async ({ page, recordBackgroundService }) => {
  const recording = await recordBackgroundService('notifications');
  await page.goto('/notifications/');
  await page.getByLabel('Title').fill('Catalogued');
  await page.getByLabel('Tag').fill('catalogued');
  await page.getByRole('button', { name: 'Show notification' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', instanceId: 'catalogued', metadata: { Title: 'Catalogued' } });
  // The page's Notification.close() (from registration.getNotifications()): Chromium 156 logs it,
  // headless too, with the tag as instanceId and no metadata.
  await page.getByRole('button', { name: 'Close notification' }).click();
  await expect(page.locator('#notification-status')).toHaveText('closed 1 notification(s) with tag "catalogued"');
  await expect(recording).toHaveRecordedEvent({ eventName: 'Notification closed', instanceId: 'catalogued' });
  expect(recording.filter({ eventName: 'Notification closed' })[0]!.metadata).toEqual({});
  expectCatalogued(recording, 'notifications');
});

test('background sync: a sync that succeeds and one that fails', async ({ page, recordBackgroundService }) => {
  const recording = await recordBackgroundService('backgroundSync');
  await page.goto('/sync/');
  await page.getByLabel('Tag').fill('outbox');
  await page.getByRole('button', { name: 'Register background sync' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Sync completed', instanceId: 'outbox', metadata: { Status: 'succeeded' } });
  await page.getByLabel('Tag').fill('fail-catalogue');
  await page.getByRole('button', { name: 'Register background sync' }).click();
  await expect(recording).toHaveRecordedEvent({
    eventName: 'sync event failed',
    instanceId: 'fail-catalogue',
    metadata: { 'Failure Reason': 'waitUntil rejected' },
  });
  expectCatalogued(recording, 'backgroundSync');
});

test('periodic background sync: register, dispatch, unregister', async ({ page, recordBackgroundService, triggerPeriodicSync }) => {
  const recording = await recordBackgroundService('periodicBackgroundSync');
  await page.goto('/periodic-sync/');
  await page.getByRole('button', { name: 'Register periodic sync' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered periodicsync', instanceId: 'content-update' });
  await triggerPeriodicSync('content-update');
  await page.getByRole('button', { name: 'Unregister', exact: true }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Unregistered periodicsync', instanceId: 'content-update' });
  expectCatalogued(recording, 'periodicBackgroundSync');
});

test('background fetch: one that succeeds and one that fails', async ({ page, recordBackgroundService }) => {
  const recording = await recordBackgroundService('backgroundFetch');
  await page.goto('/background-fetch/');
  await page.getByRole('button', { name: 'Store assets locally' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Background Fetch completed', metadata: { 'Event Type': 'BackgroundFetchSuccessEvent' } });
  await page.getByRole('button', { name: 'Fetch a missing asset' }).click();
  await expect(recording).toHaveRecordedEvent({
    eventName: 'Background Fetch completed',
    metadata: { 'Event Type': 'BackgroundFetchFailEvent', 'Failure Reason': 'BAD_STATUS' },
  });
  expectCatalogued(recording, 'backgroundFetch');
});

test('payment handler: a payment answered, and one declined', async ({ page, recordBackgroundService }) => {
  const recording = await recordBackgroundService('paymentHandler');
  await page.goto('/payment/');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_SUCCESS' } });
  await page.getByRole('button', { name: 'Buy (declined)' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_REJECT' } });
  expectCatalogued(recording, 'paymentHandler');
});
