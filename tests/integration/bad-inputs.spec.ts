// Bad input to every public function, one row each: the exact error text, the error class, and
// that it comes before any waiting (each row has a 5 s budget; the defaults are far longer).
// A browser other than Chromium is the one row that needs its own Playwright run: see
// unsupported-browser.spec.ts.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  BackgroundServicesError,
  createBackgroundServices,
  forceBounceTrackingMitigations,
  getOpenNotifications,
  startDesktopNotifications,
  UnsupportedFeatureError,
  goBack,
  exportStoredEvents,
  loadRecording,
  openStoredRecording,
  recordBounceTrackingIssues,
  startPushService,
  startReportCollector,
  testBackForwardCache,
  TargetClosedError,
  type BackgroundServices,
  type DesktopNotifications,
  type DesktopNotification,
  type PushService,
  type ReportCollector,
} from 'playwright-background-services';
import { backgroundServiceMatchers } from 'playwright-background-services/matchers';
import { parseSavedEvents, resolveChromiumExecutable, type RecordBackgroundService } from '#internal';

type ErrorClass = new (...args: never[]) => Error;

interface Row<F> {
  call: string;
  run: (fixtures: F) => unknown;
  error: string;
  type?: ErrorClass;
}

const SERVICES_LIST = 'backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging';
const FILTER_FIELDS = 'service, eventName, instanceId, origin, storageKey, serviceWorkerRegistrationId, metadata, preexisting';
const TIMEOUT = (where: string, got: string) => `${where}: timeout must be a number of milliseconds >= 0 (0 means no limit), got ${got}.`;
const demo = `http://localhost:${process.env.DEMO_PORT ?? 43210}`;
const missing = join(tmpdir(), 'no-such-recording.json');

// What a matcher's `this` needs outside a runner.
const matcherState = { isNot: false, timeout: 1000 } as never;

function failureText(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

async function failure(run: () => unknown): Promise<Error | undefined> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

// The capability probe runs once per worker, on a helper's first use; it is no part of an input
// error's budget, so each worker has it done before the rows.
test.beforeAll(({ backgroundServicesSupport }) => {
  void backgroundServicesSupport;
});

// The library's own checks and texts: once, on the default browser and Playwright (the @once tag).
function table<F>(title: string, rows: Array<Row<F>>, use: (body: (fixtures: F) => Promise<void>) => Parameters<typeof test>[2]) {
  test.describe(title, { tag: '@once' }, () => {
    for (const row of rows) {
      test(
        row.call,
        use(async (fixtures) => {
          test.setTimeout(5_000);
          const error = await failure(() => row.run(fixtures));
          expect(error, `${row.call} did not throw`).toBeDefined();
          expect(error!.message).toBe(row.error);
          expect(error).toBeInstanceOf(row.type ?? BackgroundServicesError);
        }),
      );
    }
  });
}

// Functions that need no browser.
table<undefined>(
  'plain functions',
  [
    {
      call: 'loadRecording(42)',
      run: () => loadRecording(42 as never),
      error: 'loadRecording(): expected a file path, a JSON string or an array of events, got 42.',
    },
    { call: "loadRecording('')", run: () => loadRecording(''), error: 'loadRecording(): expected a file path, a JSON string or an array of events, got "".' },
    {
      call: 'loadRecording(a missing file)',
      run: () => loadRecording(missing),
      error: `loadRecording(): cannot read ${JSON.stringify(missing)}: ENOENT: no such file or directory, open '${missing}'`,
    },
    {
      call: 'loadRecording(JSON that is not JSON)',
      run: () => loadRecording('[{"timestamp": 1,'),
      error: `loadRecording(): the JSON string is not valid JSON: ${failureText(() => JSON.parse('[{"timestamp": 1,'))}`,
    },
    {
      call: 'loadRecording(an array of non-events)',
      run: () => loadRecording([{ eventName: 'Push event completed' }]),
      error:
        'loadRecording(): item 0 is not a background service event (it needs timestamp, service, eventName and eventMetadata; timestamp must be a number, got undefined): {"eventName":"Push event completed"}',
    },
    {
      call: 'loadRecording([undefined])',
      run: () => loadRecording([undefined]),
      error: 'loadRecording(): item 0 is not a background service event (it needs timestamp, service, eventName and eventMetadata; it is undefined): undefined',
    },
    {
      call: 'expect({ events: [1] }).toHaveRecordedEvent({})',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, { events: [1] }, {}),
      error: 'expect(recording).toHaveRecordedEvent(): events[0] is not a recorded event (use loadRecording() for a saved export; it is number 1): 1',
    },
    {
      call: 'expect(events).toHaveRecordedEvent({}, null)',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], {}, null as never),
      error: 'expect(recording).toHaveRecordedEvent(): options must be an object such as { timeout: 5000 }, got null.',
    },
    {
      call: "expect(events).toHaveRecordedEvents([{}], { ordered: 'yes' })",
      run: () => backgroundServiceMatchers.toHaveRecordedEvents.call(matcherState, [], [{}], { ordered: 'yes' as never }),
      error: 'expect(recording).toHaveRecordedEvents(): options.ordered must be true or false, got string "yes".',
    },
    {
      call: "expect(events).toMatchRecording(saved, { ignore: 'instanceId' })",
      run: () =>
        backgroundServiceMatchers.toMatchRecording.call(matcherState, [], '[{"timestamp":1,"service":"pushMessaging","eventName":"x","eventMetadata":[]}]', {
          ignore: 'instanceId' as never,
        }),
      error: "expect(recording).toMatchRecording(): options.ignore must be an array such as ['instanceId', 'metadata.Payload'], got string \"instanceId\".",
    },
    {
      call: 'expect(events).toHaveRecordedEvent({ service: /push/ })',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { service: /push/ } as never),
      error: `expect(recording).toHaveRecordedEvent(): filter field 'service' takes a service name, not a RegExp (got /push/). Expected one of: ${SERVICES_LIST}; leave 'service' out to match every service, or match 'eventName' with a RegExp.`,
    },
    {
      call: 'parseSavedEvents({})',
      run: () => parseSavedEvents({}),
      error: 'saved events: expected a JSON array of background service events (DevTools\' "Save events" format), got an object (Object).',
    },
    {
      call: "resolveChromiumExecutable({ executablePath: '/no/chrome' })",
      run: () => resolveChromiumExecutable({ executablePath: '/no/chrome' }),
      error:
        'chromiumExecutablePath is set to "/no/chrome", but no file exists there. Point it at a Chromium or Chrome executable, or remove it to use Playwright\'s Chromium or the system\'s.',
    },
    {
      call: 'resolveChromiumExecutable() with $CHROME_PATH pointing nowhere',
      run: () => resolveChromiumExecutable({ env: { CHROME_PATH: '/no/chrome' } }),
      error: '$CHROME_PATH is set to "/no/chrome", but no file exists there. Point it at a Chromium or Chrome executable, or unset it.',
    },
    {
      call: 'expect(42).toHaveRecordedEvent()',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, 42, {}),
      error:
        'expect(received).toHaveRecordedEvent(): received must be a recording from recordBackgroundService() or an array of saved events (DevTools\' "Save events" JSON), got number.',
    },
    {
      call: "expect(events).toHaveRecordedEvent({ service: 'push' })",
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { service: 'push' } as never),
      error: `expect(recording).toHaveRecordedEvent(): unknown background service "push". Expected one of: ${SERVICES_LIST}. Did you mean 'pushMessaging'?`,
    },
    {
      call: "expect(events).toHaveRecordedEvent({ name: 'x' })",
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { name: 'x' } as never),
      error: `expect(recording).toHaveRecordedEvent(): unknown filter field 'name'. Expected any of: ${FILTER_FIELDS}.`,
    },
    {
      call: 'expect(events).toHaveRecordedEvent({ eventName: 42 })',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { eventName: 42 } as never),
      error: "expect(recording).toHaveRecordedEvent(): filter field 'eventName' must be a string, a RegExp or { unlisted: '…' }, got number 42.",
    },
    {
      call: "expect(events).toHaveRecordedEvent({ eventName: 'Push event complete' })",
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { eventName: 'Push event complete' } as never),
      error:
        "expect(recording).toHaveRecordedEvent(): unknown event name 'Push event complete'. Did you mean 'Push event completed'? " +
        "Known events: see EVENT_CATALOGUE. For an event this library's catalogue does not list (a newer Chromium), write eventName: { unlisted: 'Push event complete' } or a RegExp.",
    },
    {
      call: "expect(events).toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Push event completed' })",
      run: () =>
        backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { service: 'backgroundSync', eventName: 'Push event completed' } as never),
      error:
        "expect(recording).toHaveRecordedEvent(): unknown event name 'Push event completed' of backgroundSync. It is an event of pushMessaging. " +
        "Known events of backgroundSync: 'Registered sync', 'Dispatched sync event', 'sync event failed', 'Sync event reregistered', 'Sync completed'. " +
        "For an event this library's catalogue does not list (a newer Chromium), write eventName: { unlisted: 'Push event completed' } or a RegExp.",
    },
    {
      call: 'expect(events).toHaveRecordedEvent({ eventName: { unlisted: 42 } })',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { eventName: { unlisted: 42 } } as never),
      error: "expect(recording).toHaveRecordedEvent(): filter field 'eventName' must be a string, a RegExp or { unlisted: '…' }, got an object (Object).",
    },
    {
      call: "expect(events).toHaveRecordedEvent({ metadata: 'Success' })",
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], { metadata: 'Success' } as never),
      error: "expect(recording).toHaveRecordedEvent(): filter field 'metadata' must be an object such as { Status: 'Success' }, got string \"Success\".",
    },
    {
      call: 'expect(events).toHaveRecordedEvent({}, { timeout: -1 })',
      run: () => backgroundServiceMatchers.toHaveRecordedEvent.call(matcherState, [], {}, { timeout: -1 }),
      error: TIMEOUT('expect(recording).toHaveRecordedEvent()', '-1'),
    },
    {
      call: 'expect(events).toHaveRecordedEvents([])',
      run: () => backgroundServiceMatchers.toHaveRecordedEvents.call(matcherState, [], []),
      error: 'expect(recording).toHaveRecordedEvents(): expected a non-empty array of event filters, got an empty array.',
    },
    {
      call: "expect(events).toMatchRecording('')",
      run: () => backgroundServiceMatchers.toMatchRecording.call(matcherState, [], 42 as never),
      error: "expect(recording).toMatchRecording(): expected a saved recording (a path, a JSON array of events, or loadRecording()'s result), got number.",
    },
    {
      call: 'expect(events).toMatchRecording([])',
      run: () => backgroundServiceMatchers.toMatchRecording.call(matcherState, [], []),
      error: 'expect(recording).toMatchRecording(): the saved recording has no events to match.',
    },
    {
      call: "expect({}).toHaveReportStatus('Success')",
      run: () => backgroundServiceMatchers.toHaveReportStatus.call(matcherState, {}, 'Success'),
      error: 'expect(received).toHaveReportStatus(): received must be a report from awaitReport() or reportingApi.reports, got object.',
    },
    {
      call: 'expect(null).toHaveReport({})',
      run: () => backgroundServiceMatchers.toHaveReport.call(matcherState, null, {}),
      error: 'expect(received).toHaveReport(): received must be the reportingApi fixture (a ReportingWatcher), got null.',
    },
    {
      call: "expect('x').toHaveReceivedReport({})",
      run: () => backgroundServiceMatchers.toHaveReceivedReport.call(matcherState, 'x', {}),
      error: 'expect(received).toHaveReceivedReport(): received must be the reportCollector fixture, got string.',
    },
    {
      call: "expect(42).toHaveDeletedSites(['tracker.test'])",
      run: () => backgroundServiceMatchers.toHaveDeletedSites.call(matcherState, 42, ['tracker.test']),
      error: 'expect(received).toHaveDeletedSites(): received must be a page or the result of forceBounceTrackingMitigations(), got number.',
    },
    {
      call: "expect(42).toHaveFlaggedBounceTracker('tracker.test')",
      run: () => backgroundServiceMatchers.toHaveFlaggedBounceTracker.call(matcherState, 42, 'tracker.test'),
      error: 'expect(received).toHaveFlaggedBounceTracker(): received must be the bounceTrackingIssues fixture (or recordBounceTrackingIssues()), got number.',
    },
    {
      call: "expect({}).toHaveReceivedPush({ payload: 'x' })",
      run: () => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, {}, { payload: 'x' }),
      error: 'expect(received).toHaveReceivedPush(): received must be the pushService fixture, got object.',
    },
    {
      call: 'startPushService({})',
      run: () => startPushService({} as never),
      error: "startPushService(): expected { deliverTo: <the page's BackgroundServices> } (it delivers the messages), got undefined.",
    },
    {
      call: 'startReportCollector({ maxBodyBytes: 0 })',
      run: () => startReportCollector({ maxBodyBytes: 0 }),
      error: 'startReportCollector(): maxBodyBytes must be a whole number of bytes > 0, got 0.',
    },
  ],
  (body) => async () => body(undefined),
);

interface ServiceFixtures {
  page: Page;
  backgroundServices: BackgroundServices;
  recordBackgroundService: RecordBackgroundService;
}

// The controller and the helpers the fixtures expose, on a page of the demo app.
table<ServiceFixtures>(
  'background services',
  [
    {
      call: "recordBackgroundService('push')",
      run: ({ recordBackgroundService }) => recordBackgroundService('push' as never),
      error: `recordBackgroundService(): unknown background service "push". Expected one of: ${SERVICES_LIST}. Did you mean 'pushMessaging'?`,
    },
    {
      call: 'recordBackgroundService([])',
      run: ({ recordBackgroundService }) => recordBackgroundService([]),
      error: `recordBackgroundService(): the list of services is empty. Pass one or more of: ${SERVICES_LIST}, or nothing to record all of them.`,
    },
    {
      call: 'recordBackgroundService(7)',
      run: ({ recordBackgroundService }) => recordBackgroundService(7 as never),
      error: `recordBackgroundService(): unknown background service 7 (number). Expected one of: ${SERVICES_LIST}.`,
    },
    {
      call: "recordBackgroundService('pushMessaging', { clear: 'yes' })",
      run: ({ recordBackgroundService }) => recordBackgroundService('pushMessaging', { clear: 'yes' as never }),
      error: 'recordBackgroundService(): option \'clear\' must be true or false, got string "yes".',
    },
    {
      call: "recordBackgroundService('pushMessaging', { maxEvents: 0 })",
      run: ({ recordBackgroundService }) => recordBackgroundService('pushMessaging', { maxEvents: 0 }),
      error: 'recordBackgroundService(): maxEvents must be a whole number of events, 1 or more, got number 0. Leave it out for no limit.',
    },
    {
      call: "createBackgroundServices(page, { maxEvents: 'lots' })",
      run: ({ page }) => createBackgroundServices(page, { maxEvents: 'lots' as never }),
      error: 'createBackgroundServices(): maxEvents must be a whole number of events, 1 or more, got string "lots". Leave it out for no limit.',
    },
    {
      call: "recording.waitForEvent({ service: 'sync' })",
      run: async ({ recordBackgroundService }) => (await recordBackgroundService('backgroundSync')).waitForEvent({ service: 'sync' } as never),
      error: `recording.waitForEvent(): unknown background service "sync". Expected one of: ${SERVICES_LIST}. Did you mean 'backgroundSync' or 'periodicBackgroundSync'?`,
    },
    {
      call: "recording.waitForEvent({ eventName: 'Registered Sync' })",
      run: async ({ recordBackgroundService }) => (await recordBackgroundService('backgroundSync')).waitForEvent({ eventName: 'Registered Sync' as never }),
      error:
        "recording.waitForEvent(): unknown event name 'Registered Sync'. Did you mean 'Registered sync'? Known events: see EVENT_CATALOGUE. " +
        "For an event this library's catalogue does not list (a newer Chromium), write eventName: { unlisted: 'Registered Sync' } or a RegExp.",
    },
    {
      call: "recording.waitForEvent({}, { timeout: 'soon' })",
      run: async ({ recordBackgroundService }) => (await recordBackgroundService('backgroundSync')).waitForEvent({}, { timeout: 'soon' as never }),
      error: TIMEOUT('recording.waitForEvent()', 'soon'),
    },
    {
      call: 'recording.waitForEvent() that times out says what was recorded',
      run: async ({ recordBackgroundService }) =>
        (await recordBackgroundService('backgroundSync', { clear: true })).waitForEvent({ eventName: 'Sync completed' }, { timeout: 1 }),
      error: "recording.waitForEvent({ eventName: 'Sync completed' }): no matching event within 1ms.\nRecorded events: none",
      type: Error,
    },
    {
      call: 'recording.save(42)',
      run: async ({ recordBackgroundService }) => (await recordBackgroundService('backgroundSync')).save(42 as never),
      error: 'recording.save(): expected a directory path, got 42.',
    },
    {
      call: "recording.setShowEventsFromOtherDomains('no')",
      run: async ({ recordBackgroundService }) => (await recordBackgroundService('backgroundSync')).setShowEventsFromOtherDomains('no' as never),
      error: 'recording.setShowEventsFromOtherDomains(): expected true or false, got string "no".',
    },
    {
      call: 'triggerPush(42)',
      run: ({ backgroundServices }) => backgroundServices.triggerPush(42 as never),
      error: 'triggerPush(): expected the push payload as a string or a JSON-serializable object, got number 42.',
    },
    {
      call: 'triggerPush(a 5000-byte payload)',
      run: ({ backgroundServices }) => backgroundServices.triggerPush('x'.repeat(5000)),
      error:
        'triggerPush(): the payload is 5000 bytes, but push services accept at most 4096, so no real push could carry it. ' +
        'Send less, e.g. an id the service worker fetches the rest with.',
    },
    {
      call: 'triggerPush(a cyclic object)',
      run: ({ backgroundServices }) => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        return backgroundServices.triggerPush(cyclic);
      },
      error: 'triggerPush(): the payload object cannot be sent as JSON: Converting circular structure to JSON. Pass a string or a plain object.',
    },
    {
      call: "triggerPush('x', { timeout: -5 })",
      run: ({ backgroundServices }) => backgroundServices.triggerPush('x', { timeout: -5 }),
      error: TIMEOUT('triggerPush("x")', '-5'),
    },
    {
      call: "triggerSync('')",
      run: ({ backgroundServices }) => backgroundServices.triggerSync(''),
      error: 'triggerSync(): expected a non-empty tag string (the tag the page passed to register()), got an empty string.',
    },
    {
      call: 'triggerSync(undefined)',
      run: ({ backgroundServices }) => backgroundServices.triggerSync(undefined as never),
      error: 'triggerSync(): expected a non-empty tag string (the tag the page passed to register()), got undefined.',
    },
    {
      call: 'triggerPeriodicSync(12)',
      run: ({ backgroundServices }) => backgroundServices.triggerPeriodicSync(12 as never),
      error: 'triggerPeriodicSync(): expected a non-empty tag string (the tag the page passed to register()), got number 12.',
    },
    {
      call: "triggerPush('x') with no service worker registered",
      run: async ({ page, backgroundServices }) => {
        await page.goto('/');
        return backgroundServices.triggerPush('x', { timeout: 1 });
      },
      error: `triggerPush("x"): no active service worker registration for origin ${demo} within 1ms. Registrations seen: none. Make sure the page calls navigator.serviceWorker.register() and that the worker installs without error (the page is at ${demo}/).`,
      type: Error,
    },
    {
      call: "triggerPush('x') on about:blank",
      run: ({ backgroundServices }) => backgroundServices.triggerPush('x'),
      error:
        'triggerPush("x"): the page is at "about:blank", which has no origin. Navigate to the page that registers the service worker first (page.goto), or pass { origin }.',
    },
    {
      call: "setServiceWorkerOffline('yes')",
      run: ({ backgroundServices }) => backgroundServices.setServiceWorkerOffline('yes' as never),
      error: 'setServiceWorkerOffline(): expected true (offline) or false (online), got "yes".',
    },
    {
      call: "grantPermissions(['no such permission'])",
      run: ({ backgroundServices }) => backgroundServices.grantPermissions(['no such permission']),
      error:
        'Unknown permission "no such permission". Use a Playwright permission name (' +
        'geolocation, midi, midi-sysex, notifications, camera, microphone, background-sync, periodic-background-sync, background-fetch, payment-handler, ' +
        'ambient-light-sensor, accelerometer, gyroscope, magnetometer, clipboard-read, clipboard-write, storage-access, local-fonts, idle-detection, ' +
        'screen-wake-lock, window-management' +
        ") or a CDP Browser.PermissionType such as 'backgroundSync'.",
    },
    {
      call: 'createBackgroundServices(a closed page)',
      run: async ({ page }) => {
        const other = await page.context().newPage();
        await other.close();
        return createBackgroundServices(other);
      },
      error: 'createBackgroundServices(): the page is already closed. Pass an open page.',
      type: TargetClosedError,
    },
    {
      call: 'createBackgroundServices(page, { timeout: NaN })',
      run: ({ page }) => createBackgroundServices(page, { timeout: Number.NaN }),
      error: TIMEOUT('createBackgroundServices()', 'NaN'),
    },
    {
      call: 'a disposed controller',
      run: async ({ page }) => {
        const services = await createBackgroundServices(page);
        await services.dispose();
        return services.record('pushMessaging');
      },
      error: 'record(): this BackgroundServices was disposed (its test has ended).',
    },
  ],
  (body) =>
    async ({ page, backgroundServices, recordBackgroundService }) =>
      body({ page, backgroundServices, recordBackgroundService }),
);

interface ReportingFixtures {
  reportCollector: ReportCollector;
  awaitReport: (filter?: object, options?: { timeout?: number }) => Promise<unknown>;
}

table<ReportingFixtures>(
  'reporting',
  [
    {
      call: "awaitReport({ kind: 'csp-violation' })",
      run: ({ awaitReport }) => awaitReport({ kind: 'csp-violation' }),
      error: "awaitReport(): unknown report filter field 'kind'. Expected any of: type, url, destination, status, body.",
    },
    {
      call: "awaitReport({ status: 'Delivered' })",
      run: ({ awaitReport }) => awaitReport({ status: 'Delivered' }),
      error: 'awaitReport(): unknown report status "Delivered". Expected one of: Queued, Pending, Success, MarkedForRemoval.',
    },
    {
      call: 'awaitReport({ type: 42 })',
      run: ({ awaitReport }) => awaitReport({ type: 42 }),
      error: "awaitReport(): report filter field 'type' must be a string or a RegExp, got number 42.",
    },
    {
      call: "awaitReport({ body: 'x' })",
      run: ({ awaitReport }) => awaitReport({ body: 'x' }),
      error: "awaitReport(): report filter field 'body' must be an object such as { effectiveDirective: 'script-src-elem' }, got string \"x\".",
    },
    {
      call: 'awaitReport({}, { timeout: Infinity })',
      run: ({ awaitReport }) => awaitReport({}, { timeout: Number.POSITIVE_INFINITY }),
      error: TIMEOUT('awaitReport()', 'Infinity'),
    },
    {
      call: "reportCollector.waitForReport({ status: 'Success' })",
      run: ({ reportCollector }) => reportCollector.waitForReport({ status: 'Success' }),
      error: "reportCollector.waitForReport(): the collector only has delivered reports; 'status' applies to reports seen through the browser (awaitReport).",
    },
    {
      call: "reportCollector.endpoint('a b')",
      run: ({ reportCollector }) => reportCollector.endpoint('a b'),
      error: "reportCollector.endpoint(): endpoint names are letters, digits, '-' and '_', got \"a b\".",
    },
    {
      call: "reportCollector.respondWith({ kind: 'delay', ms: -1 })",
      run: ({ reportCollector }) => reportCollector.respondWith({ kind: 'delay', ms: -1 }),
      error:
        "reportCollector.respondWith(): expected { kind: 'accept' }, { kind: 'status', status: 100-599 }, { kind: 'delay', ms: >= 0 } or { kind: 'drop' }, " +
        'got {"kind":"delay","ms":-1}.',
    },
  ],
  (body) =>
    async ({ reportCollector, awaitReport }) =>
      body({ reportCollector, awaitReport }),
);

const URGENCY_LIST = "'very-low', 'low', 'normal', 'high'";

table<{ pushService: PushService }>(
  'push service',
  [
    {
      call: 'pushService.expire(42)',
      run: ({ pushService }) => pushService.expire(42 as never),
      error: 'pushService.expire(): expected a subscription (its toJSON(), or its endpoint URL), got number 42.',
    },
    {
      call: "pushService.expire('https://push.example/x')",
      run: ({ pushService }) => pushService.expire('https://push.example/x'),
      error: 'pushService.expire(): no subscription of this push service has the endpoint "https://push.example/x". Known endpoints: none.',
    },
    {
      call: "expect(pushService).toHaveReceivedPush({ body: 'x' })",
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, { body: 'x' } as never),
      error: "expect(pushService).toHaveReceivedPush(): unknown filter field 'body'. Expected any of: payload, urgency, topic, ttl, state, endpoint.",
    },
    {
      call: "expect(pushService).toHaveReceivedPush({ urgency: 'urgent' })",
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, { urgency: 'urgent' } as never),
      error: `expect(pushService).toHaveReceivedPush(): filter field 'urgency' must be one of ${URGENCY_LIST}, got string "urgent".`,
    },
    {
      call: "expect(pushService).toHaveReceivedPush({ state: 'sent' })",
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, { state: 'sent' } as never),
      error:
        "expect(pushService).toHaveReceivedPush(): filter field 'state' must be one of 'pending', 'delivered', 'dropped', 'expired', 'replaced', 'failed', got string \"sent\".",
    },
    {
      call: 'expect(pushService).toHaveReceivedPush({ ttl: -1 })',
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, { ttl: -1 }),
      error: "expect(pushService).toHaveReceivedPush(): filter field 'ttl' must be a whole number of seconds >= 0, got number -1.",
    },
    {
      call: 'expect(pushService).toHaveReceivedPush({ payload: 42 })',
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, { payload: 42 } as never),
      error:
        "expect(pushService).toHaveReceivedPush(): filter field 'payload' must be a string, a RegExp or an object (matched against the payload's JSON), got number 42.",
    },
    {
      call: "expect(pushService).toHaveReceivedPush('hello')",
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, 'hello' as never),
      error: "expect(pushService).toHaveReceivedPush(): expected a filter object such as { payload: 'hello', urgency: 'high' }, got string \"hello\".",
    },
    {
      call: 'expect(pushService).toHaveReceivedPush({}, { timeout: -1 })',
      run: ({ pushService }) => backgroundServiceMatchers.toHaveReceivedPush.call(matcherState, pushService, {}, { timeout: -1 }),
      error: TIMEOUT('expect(pushService).toHaveReceivedPush()', '-1'),
    },
  ],
  (body) =>
    async ({ pushService }) =>
      body({ pushService }),
);

table<{ page: Page }>(
  'stored recordings',
  [
    {
      call: "openStoredRecording(page, 'push')",
      run: ({ page }) => openStoredRecording(page, 'push' as never),
      error: `openStoredRecording(): unknown background service "push". Expected one of: ${SERVICES_LIST}. Did you mean 'pushMessaging'?`,
    },
    {
      call: 'openStoredRecording(page, [], …)',
      run: ({ page }) => openStoredRecording(page, []),
      error: `openStoredRecording(): the list of services is empty. Pass one or more of: ${SERVICES_LIST}, or nothing to record all of them.`,
    },
    {
      call: "openStoredRecording(page, undefined, { record: 'yes' })",
      run: ({ page }) => openStoredRecording(page, undefined, { record: 'yes' as never }),
      error: 'openStoredRecording(): options.record must be true or false, got "yes".',
    },
    {
      call: 'openStoredRecording(a browser)',
      run: ({ page }) => openStoredRecording(page.context().browser() as never),
      error: 'openStoredRecording(): expected a Playwright BrowserContext or Page (e.g. from chromium.launchPersistentContext()), got object.',
    },
    {
      call: "exportStoredEvents(page, '')",
      run: ({ page }) => exportStoredEvents(page, ''),
      error: 'exportStoredEvents(): expected a directory path, got "".',
    },
  ],
  (body) =>
    async ({ page }) =>
      body({ page }),
);

table<{ page: Page }>(
  'back/forward cache and bounce tracking',
  [
    {
      call: 'testBackForwardCache(page on about:blank)',
      run: ({ page }) => testBackForwardCache(page),
      error: 'testBackForwardCache(): the page is at "about:blank". Navigate to the page to test first (page.goto).',
    },
    {
      call: "testBackForwardCache(page, { awayUrl: 'http://[' })",
      run: async ({ page }) => {
        await page.goto('/');
        return testBackForwardCache(page, { awayUrl: 'http://[' });
      },
      error: "testBackForwardCache(): awayUrl must be a URL, absolute or relative to the page (such as 'chrome://terms' or '/other'), got \"http://[\".",
    },
    {
      call: 'testBackForwardCache(page, { whileAway: true })',
      run: ({ page }) => testBackForwardCache(page, { whileAway: true as never }),
      error: 'testBackForwardCache(): whileAway must be a function such as async (page) => { … }, got boolean true.',
    },
    {
      call: 'goBack(page) with no history',
      run: ({ page }) => goBack(page),
      error: 'goBack(): there is no history entry to go back to (the page is at about:blank).',
    },
    {
      call: "forceBounceTrackingMitigations(page, { sites: 'tracker.test' })",
      run: ({ page }) => forceBounceTrackingMitigations(page, { sites: 'tracker.test' as never }),
      error: 'forceBounceTrackingMitigations(): sites must be an array of site names such as [\'tracker.test\'], got "tracker.test".',
    },
    {
      call: "forceBounceTrackingMitigations(page, { sites: [''] })",
      run: ({ page }) => forceBounceTrackingMitigations(page, { sites: [''] }),
      error: 'forceBounceTrackingMitigations(): sites must be an array of site names such as [\'tracker.test\'], got [""].',
    },
    {
      call: 'recordBounceTrackingIssues(a closed page)',
      run: async ({ page }) => {
        const other = await page.context().newPage();
        await other.close();
        return recordBounceTrackingIssues(other);
      },
      error: 'recordBounceTrackingIssues(): the page is already closed. Pass an open page.',
      type: TargetClosedError,
    },
    {
      call: "expect(page).toHaveNotRestoredReason('')",
      run: ({ page }) => backgroundServiceMatchers.toHaveNotRestoredReason.call(matcherState, page, '' as never),
      error: 'expect(page).toHaveNotRestoredReason(): expected a reason name such as \'UnloadHandlerExistsInMainFrame\', got "".',
    },
    {
      call: 'expect(page).toHaveDeletedSites([])',
      run: ({ page }) => backgroundServiceMatchers.toHaveDeletedSites.call(matcherState, page, []),
      error: "expect(page).toHaveDeletedSites(): expected a non-empty array of sites such as ['tracker.test'], got [].",
    },
  ],
  (body) =>
    async ({ page }) =>
      body({ page }),
);

interface DesktopFixtures {
  desktop: DesktopNotifications;
  clickNotification: (target: object) => Promise<DesktopNotification>;
  closeNotification: (target: object) => Promise<DesktopNotification>;
}
const TARGET_FIELDS = 'title, body, origin, buttons, urgency, tag, timeout';
const NOTHING_SHOWN =
  "Shown (0): nothing. Did the page call showNotification() with the notifications permission granted, in a browser launched with this desktop's env?";

// The desktop's helpers check their input before they wait; none of these rows launches a browser.
test.describe('desktop notifications', () => {
  test.use({ desktopNotifications: true });
  table<DesktopFixtures>(
    'helpers',
    [
      {
        call: 'clickNotification({})',
        run: ({ clickNotification }) => clickNotification({}),
        error: "clickNotification({}): say which notification, by title, body, origin, buttons, urgency or tag, e.g. { title: 'New message' }.",
      },
      {
        call: "clickNotification({ titel: 'New message' })",
        run: ({ clickNotification }) => clickNotification({ titel: 'New message' }),
        error: `clickNotification({ titel: 'New message' }): unknown field 'titel'. Expected any of: ${TARGET_FIELDS}, action.`,
      },
      {
        call: "clickNotification({ title: 'New message', action: 1 })",
        run: ({ clickNotification }) => clickNotification({ title: 'New message', action: 1 }),
        error: "clickNotification({ title: 'New message', action: 1 }): 'action' must be a string, got number 1.",
      },
      {
        call: "clickNotification({ title: 'New message', timeout: -1 })",
        run: ({ clickNotification }) => clickNotification({ title: 'New message', timeout: -1 }),
        error: TIMEOUT("clickNotification({ title: 'New message', timeout: -1 })", '-1'),
      },
      {
        call: "clickNotification({ title: 'Nope' }) with nothing shown",
        run: ({ clickNotification }) => clickNotification({ title: 'Nope', timeout: 100 }),
        error: `clickNotification({ title: 'Nope', timeout: 100 }): no open notification matched within 100ms. ${NOTHING_SHOWN}`,
      },
      {
        call: "closeNotification({ title: 'New message', action: 'archive' })",
        run: ({ closeNotification }) => closeNotification({ title: 'New message', action: 'archive' }),
        error: `closeNotification({ title: 'New message', action: 'archive' }): unknown field 'action'. Expected any of: ${TARGET_FIELDS}.`,
      },
      {
        call: 'closeNotification({ title: 42 })',
        run: ({ closeNotification }) => closeNotification({ title: 42 }),
        error: "closeNotification({ title: 42 }): 'title' must be a string or a RegExp, got number 42.",
      },
      {
        call: "expect(desktop).toHaveShownNotification({ urgency: 'high' })",
        run: ({ desktop }) => backgroundServiceMatchers.toHaveShownNotification.call(matcherState, desktop, { urgency: 'high' as never }),
        error: 'expect(desktop).toHaveShownNotification(): \'urgency\' must be one of low, normal, critical, got string "high".',
      },
      {
        call: "expect(desktop).toHaveShownNotification({ buttons: 'Archive' })",
        run: ({ desktop }) => backgroundServiceMatchers.toHaveShownNotification.call(matcherState, desktop, { buttons: 'Archive' as never }),
        error: "expect(desktop).toHaveShownNotification(): 'buttons' must be an array of button labels such as ['Archive'], got string \"Archive\".",
      },
    ],
    (body) =>
      async ({ desktop, clickNotification, closeNotification }) =>
        body({ desktop, clickNotification, closeNotification }),
  );
});

table<undefined>(
  'desktop notifications without the fixtures',
  [
    {
      call: "expect({}).toHaveShownNotification({ title: 'x' })",
      run: () => backgroundServiceMatchers.toHaveShownNotification.call(matcherState, {}, { title: 'x' }),
      error: 'expect(received).toHaveShownNotification(): received must be the desktop fixture (or startDesktopNotifications()), got object.',
    },
    {
      call: "startDesktopNotifications({ dbusDaemon: '/no/dbus-daemon' })",
      run: () => startDesktopNotifications({ dbusDaemon: '/no/dbus-daemon' }),
      error:
        'Desktop notifications need a private session D-Bus for Chromium to send its notifications to, but dbus-daemon was not found at /no/dbus-daemon. ' +
        'Fix: apt-get install dbus-daemon (Debian/Ubuntu; the package is `dbus` on older releases).',
      type: UnsupportedFeatureError,
    },
    {
      call: 'startDesktopNotifications({ timeout: -5 })',
      run: () => startDesktopNotifications({ timeout: -5 }),
      error: TIMEOUT('startDesktopNotifications()', '-5'),
    },
    {
      call: "desktop.click({ tag: 'x' }) with no context attached",
      run: async () => {
        const desktop = await startDesktopNotifications();
        try {
          return await desktop.click({ tag: 'x' });
        } finally {
          await desktop.stop();
        }
      },
      error:
        "clickNotification({ tag: 'x' }): a tag is the page's, and the desktop is never told it. Attach the browser context first (desktop.attach(context)) or name the notification by title.",
    },
  ],
  (body) => async () => body(undefined),
);

table<{ page: Page }>(
  'open notifications',
  [
    {
      call: 'getOpenNotifications(page, { tag: 5 })',
      run: ({ page }) => getOpenNotifications(page, { tag: 5 as never }),
      error: 'getOpenNotifications(): tag must be a string, got number.',
    },
  ],
  (body) =>
    async ({ page }) =>
      body({ page }),
);
