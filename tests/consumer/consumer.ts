// Type-checked against the built package (dist/*.d.ts) by tests/node/package.test.mjs: what a
// user's spec sees, with no `any` leaking.
import { mergeExpects, mergeTests, test as base, expect as baseExpect, defineConfig } from '@playwright/test';
import {
  test,
  expect,
  createBackgroundServices,
  backgroundServicesFixtures,
  type BackgroundServicesOptions,
  type RecordedEvent,
  type EventFilter,
  type EventName,
  EVENT_CATALOGUE,
  type PushOutcome,
  type WatchedReport,
  type PushMessage,
  probeBackgroundServicesSupport,
  startPushService,
  UnsupportedFeatureError,
  TargetClosedError,
  startDesktopNotifications,
  getOpenNotifications,
  type DesktopNotification,
  type BackgroundServicesSupport,
  PageCrashedError,
  type Types,
} from 'playwright-background-services';
import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';

export default defineConfig<BackgroundServicesOptions>({
  use: { backgroundServicesTimeout: 10_000, grantBackgroundServicePermissions: true, reportingShortDelay: false, chromiumExecutablePath: '/usr/bin/chromium' },
});

export const merged = mergeTests(base, test);
export const mergedExpect = mergeExpects(baseExpect, expect);
export const mine = base.extend(backgroundServicesFixtures);

test('types flow through', async ({ page, recordBackgroundService, triggerPush, awaitReport, reportCollector }) => {
  const recording = await recordBackgroundService(['pushMessaging']);
  const outcome: PushOutcome = await triggerPush({ title: 'x' });
  const status: string = outcome.status;
  const first: RecordedEvent | undefined = recording.events[0];
  const title: string | undefined = first?.metadata.Title;
  await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', metadata: { Status: /Success/ } }, { timeout: 1000 });
  await expect(recording).toHaveRecordedEvents([{ eventName: 'Push event dispatched' }], { ordered: true });
  const report: WatchedReport = await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(report).toHaveReportStatus('Success');
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
  const services = await createBackgroundServices(page);
  // @ts-expect-error: not a service name
  await services.record(['pushMessages']);
  // @ts-expect-error: not a report status
  await expect(report).toHaveReportStatus('Sent');
  void status;
  void title;
});

export async function standalone(): Promise<void> {
  const { expect: plainExpect } = await import('expect');
  plainExpect.extend(backgroundServiceMatchers);
  await plainExpect(await loadRecording('x.json')).toHaveRecordedEvent({ eventName: 'Push event completed' });
  await plainExpect([]).toHaveRecordedEvents([{ eventName: 'Sync completed' }], { ordered: true });
  await plainExpect('https://a.test').toHaveFlaggedBounceTracker('a.test', { timeout: 1000 });
  // @ts-expect-error: a filter, not an event name
  await plainExpect([]).toHaveRecordedEvent('Push event completed');
  // @ts-expect-error: not an option of this matcher
  await plainExpect([]).toHaveRecordedEvent({ eventName: 'Sync completed' }, { ordered: true });
  await plainExpect([]).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } });
  // @ts-expect-error: with a service, only that service's event names
  await plainExpect([]).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Sync completed' });
  await plainExpect([]).toHaveRecordedEvents([{ eventName: /x/ }, { service: 'pushMessaging', eventName: 'Push event completed' }]);
  // @ts-expect-error: each filter narrows by its own service
  await plainExpect([]).toHaveRecordedEvents([{ eventName: /x/ }, { service: 'pushMessaging', eventName: 'Sync completed' }]);
}

test('the push service is typed', async ({ pushService, page }) => {
  await expect(pushService).toHaveReceivedPush({ payload: { title: 'x' }, urgency: 'high', state: 'delivered' }, { timeout: 1000 });
  // @ts-expect-error: not an urgency
  await expect(pushService).toHaveReceivedPush({ urgency: 'urgent' });
  const message: PushMessage | undefined = pushService.messages[0];
  const ttl: number | undefined = message?.ttl;
  const [subscription] = pushService.subscriptions;
  if (subscription) pushService.expire(subscription);
  pushService.holdDelivery();
  await pushService.releaseDelivery();
  const certificate: string = pushService.certificate;
  const standalone = await startPushService({ deliverTo: await createBackgroundServices(page), context: page.context() });
  await standalone.stop();
  void ttl;
  void certificate;
});

test('event filters are typed by the catalogue', async ({ recordBackgroundService }) => {
  const recording = await recordBackgroundService(['pushMessaging', 'backgroundSync']);
  await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Dispatched sync event', metadata: { 'Last Chance': 'No' } });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Request processing completed', metadata: { 'Response Status': '200' } });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment request', metadata: { 'Method Name #1': 'https://pay.example' } });
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: /hello/ } });
  // A RegExp reaches any event and value; { unlisted } an event the catalogue does not list.
  await expect(recording).toHaveRecordedEvent({ eventName: /Push/, metadata: { Status: /Rejected/ } });
  await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: { unlisted: 'Push event retried' }, metadata: { Attempt: '2' } });
  await recording.waitForEvent({ eventName: 'Sync completed', metadata: { Status: 'succeeded' } });
  const pushOnly: EventFilter<'pushMessaging'> = { eventName: 'Push event dispatched', metadata: { Payload: 'x' } };
  const name: EventName<'backgroundSync'> = 'Registered sync';
  const key: keyof (typeof EVENT_CATALOGUE)['pushMessaging']['Push event completed'] = 'Status';
  const statuses: string[] = [...EVENT_CATALOGUE.pushMessaging['Push event completed'].Status];
  // @ts-expect-error: misspelt event name
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event complete' });
  // @ts-expect-error: misspelt status of a known event
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Sucess' } });
  // @ts-expect-error: another service's event name
  await expect(recording).toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Push event completed' });
  // @ts-expect-error: another service's event name
  await recording.waitForEvent({ service: 'pushMessaging', eventName: 'Sync completed' });
  // Playwright's expect narrows as the standalone one does (tests/node/package.test.mjs checks the messages).
  await expect.soft(recording).not.toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Sync completed' });
  await expect.configure({ timeout: 1000 })(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed' });
  await mergedExpect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed' });
  await expect.poll(() => recording.events.length).toBeGreaterThan(0);
  // @ts-expect-error: with a service, only that service's event names
  await expect.soft(recording).not.toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Sync completed' });
  await expect(recording).toHaveRecordedEvents([
    { service: 'backgroundSync', eventName: 'Sync completed' },
    // @ts-expect-error: each filter narrows by its own service
    { service: 'pushMessaging', eventName: 'Sync completed' },
  ]);
  await recording.waitForEvent({ service: 'backgroundSync', eventName: 'Sync completed', metadata: { Status: 'succeeded' } });
  void recording.filter({ eventName: 'Sync completed' }).concat(recording.filter({ service: 'pushMessaging', eventName: /Push/ }));
  // @ts-expect-error: misspelt metadata key
  await expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', metadata: { Titel: 'x' } });
  // @ts-expect-error: misspelt metadata key, whatever the service
  await expect(recording).toHaveRecordedEvent({ metadata: { Titel: 'x' } });
  // @ts-expect-error: a sync status is lower case
  await recording.waitForEvent({ service: 'backgroundSync', metadata: { Status: 'Succeeded' } });
  // @ts-expect-error: metadata values are strings
  await expect(recording).toHaveRecordedEvents([{ eventName: 'Background Fetch registered', metadata: { 'Total Requests': 3 } }]);
  // @ts-expect-error: a plain string is not the escape
  const notEscaped: EventFilter = { eventName: 'Push event retried' };
  // Keys and values from the catalogue's shared parts (merchant, modifiers, long value lists).
  const payment: EventFilter<'paymentHandler'> = {
    eventName: 'Payment request',
    metadata: { 'Merchant Top Origin': 'https://shop.example', 'Modifier #0 Method Name': 'x', 'Instrument Key': 'k' },
  };
  const response: EventFilter<'paymentHandler'> = { eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_TIMEOUT' } };
  const failed: EventFilter = { eventName: 'Background Fetch completed', metadata: { 'Failure Reason': 'QUOTA_EXCEEDED' } };
  // @ts-expect-error: not a value Chromium writes for this key
  const wrongType: EventFilter<'paymentHandler'> = { eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_TIMEOUTS' } };
  // @ts-expect-error: a shared key of another event (Can make payment has no Instrument Key)
  const wrongKey: EventFilter<'paymentHandler'> = { eventName: 'Can make payment', metadata: { 'Instrument Key': 'k' } };
  // @ts-expect-error: the catalogue is read-only
  EVENT_CATALOGUE.pushMessaging['Push event completed'] = { Status: ['Success', 'waitUntil Rejected', 'Timeout'] };
  void [pushOnly, name, key, statuses, notEscaped, payment, response, failed, wrongType, wrongKey];
});

test('the capability probe is typed', async ({ backgroundServicesSupport: support, page }) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  const shell: boolean = support.browser.headlessShell;
  const chosenBy: string = support.browser.chosenBy;
  const probe = probeBackgroundServicesSupport(page);
  const one: BackgroundServicesSupport['backForwardCache'] = await probe.feature('backForwardCache');
  // @ts-expect-error: not a feature the probe knows
  await probe.feature('telepathy');
  const error: Error = new Error('x');
  if (error instanceof UnsupportedFeatureError) void [error.feature, error.browser, error.reason];
  const crashed: TargetClosedError = new PageCrashedError('http://localhost/');
  const crashedAt: string = (crashed as PageCrashedError).pageUrl;
  void [shell, chosenBy, one, crashedAt];
});

test.describe('desktop notifications are typed', () => {
  test.use({ desktopNotifications: true });
  test('click, close, match', async ({ page, desktop, clickNotification, closeNotification }) => {
    const clicked: DesktopNotification = await clickNotification({ title: /New/, action: 'archive', timeout: 1000 });
    const closed: DesktopNotification = await closeNotification({ tag: 'x' });
    await expect(desktop).toHaveShownNotification({ title: 'New message', buttons: ['Archive'], urgency: 'critical' }, { timeout: 1000 });
    const open: { title: string; tag: string; data: unknown }[] = await getOpenNotifications(page, { tag: 'x' });
    const urgency: 'low' | 'normal' | 'critical' | undefined = desktop.notifications[0]?.urgency;
    const buttons: string[] | undefined = desktop.open[0]?.buttons;
    // @ts-expect-error: not an urgency
    await expect(desktop).toHaveShownNotification({ urgency: 'high' });
    // @ts-expect-error: a dismissal has no action
    await closeNotification({ title: 'x', action: 'archive' });
    void [clicked.clicks, closed.closedBy, open[0]?.data, urgency, buttons];
  });
});

export async function ownDesktop(): Promise<void> {
  const desktop = await startDesktopNotifications({ timeout: 2000 });
  const address: string = desktop.env.DBUS_SESSION_BUS_ADDRESS;
  const shown: DesktopNotification = await desktop.waitForNotification({ body: 'x' });
  await desktop.click({ title: 'x' });
  await desktop.stop();
  void [address, shown];
}

// The plumbing fixtures are not part of test's type.
// @ts-expect-error: _reportCollectorServer is no fixture of the published test
test('no plumbing', ({ _reportCollectorServer }) => void _reportCollectorServer);

// Every type the API takes or returns has a name: the root's, or `Types`'s (types only).
test('types by name', async ({ fcm, triggerSync }) => {
  const sent: Types.FcmMessage | undefined = fcm.messages[0];
  const options: Types.TriggerSyncOptions = { lastChance: true };
  await triggerSync('outbox', options);
  // @ts-expect-error: a namespace of types, no value
  void Types;
  void sent;
});
