import { chromium, expect as baseExpect, test as base, type Fixtures, type Page, type TestInfo, type PlaywrightTestArgs, type PlaywrightTestOptions, type PlaywrightWorkerArgs, type PlaywrightWorkerOptions } from '@playwright/test';
import { BackgroundServices } from './backgroundServices.js';
import { chooseChromium, type BrowserChoice } from './cdp/browser.js';
import { probeBackgroundServicesSupport, type BackgroundServicesSupport } from './support/probe.js';
import { UnsupportedBrowserError } from './cdp/errors.js';
import { backgroundServiceMatchers } from './matchers/backgroundServiceMatchers.js';
import type { BackgroundServiceRecording, RecordOptions } from './background-services/recording.js';
import { ReportCollectorServer, type ReportCollector } from './reporting/collector.js';
import type { ReportFilter } from './reporting/filter.js';
import type { ReportingWatcher, WatchedReport } from './reporting/watcher.js';
import type { ServiceName } from './background-services/services.js';
import { attachEvidence, stepTitle, type Evidence } from './evidence/attachments.js';
import { DEFAULT_TIMEOUT } from './cdp/wait.js';
import { testBackForwardCache, type BackForwardCacheOptions, type BackForwardCacheResult } from './bfcache/bfcache.js';
import {
  bounceTrackingSupport,
  forceBounceTrackingMitigations,
  recordBounceTrackingIssues,
  type BounceTrackingIssues,
  type BounceTrackingSupport,
  type ForceRunOptions,
  type ForceRunResult,
} from './bounce-tracking/bounceTracking.js';
import type {
  PeriodicSyncOutcome,
  PushOutcome,
  SyncOutcome,
  TriggerPeriodicSyncOptions,
  TriggerPushOptions,
  TriggerSyncOptions,
  TriggerTarget,
} from './background-services/triggers.js';

/** Test-scoped options, for `use` in `playwright.config.ts` or `test.use()`. */
export interface BackgroundServicesTestOptions {
  /** Timeout of the helpers' waits, in ms; defaults to the project's expect timeout (5000). */
  backgroundServicesTimeout: number | undefined;
  /**
   * Grant notifications, background sync, periodic background sync, background fetch and
   * payment handler permissions (plus the ones in `permissions`) when the fixtures start. Default true.
   */
  grantBackgroundServicePermissions: boolean;
  /** On Firefox or WebKit: `'fail'` (default) with a clear error, or `'skip'` the test. */
  backgroundServicesUnsupportedBrowser: 'fail' | 'skip';
  /**
   * Attach the recorded events (DevTools' "Save events" JSON per service), the reports and an
   * HTML timeline to the test's report: `'on-failure'` (default), `'always'` or `'off'`.
   */
  backgroundServicesAttachments: 'on-failure' | 'always' | 'off';
  /**
   * Keep at most this many background service events per test, dropping the oldest (counted
   * and named in failure messages and the timeline). Default: no limit.
   */
  backgroundServicesMaxEvents: number | undefined;
}

/** Worker-scoped options. */
export interface BackgroundServicesWorkerOptions {
  /**
   * The Chromium to launch. Unset: `$PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM` or `$CHROME_PATH`,
   * then Playwright's own Chromium, then a system Chromium or Chrome.
   */
  chromiumExecutablePath: string | undefined;
  /**
   * Launch with `--short-reporting-delay`: reports are sent within ~100 ms. Without it Chromium
   * sends a context's first report at once and holds later ones up to 60 s. Default true.
   */
  reportingShortDelay: boolean;
  /**
   * Launch with the back/forward cache on. Playwright turns it off by default
   * (`--disable-back-forward-cache`), so every back navigation would report
   * `BackForwardCacheDisabledByCommandLine`. Default false.
   */
  backForwardCache: boolean;
}

/** Every option, for `defineConfig<BackgroundServicesOptions>()`. */
export type BackgroundServicesOptions = BackgroundServicesTestOptions & BackgroundServicesWorkerOptions;

export type RecordBackgroundService = (
  services?: ServiceName | readonly ServiceName[],
  options?: RecordOptions,
) => Promise<BackgroundServiceRecording>;

interface PlumbingFixtures {
  _backgroundServicesBrowserCheck: void;
  _backgroundServicesEvidence: Evidence;
}

interface PlumbingWorkerFixtures {
  _reportCollectorServer: ReportCollectorServer;
  _backgroundServicesProbe: void;
}

/** How the fixtures chose each launch's browser, keyed by the launch options they handed Playwright. */
const launchChoices = new WeakMap<object, BrowserChoice>();

/** Worker fixtures users read. */
export interface BackgroundServicesWorkerFixtures {
  /**
   * What this worker's browser can do, feature by feature, asked of the browser once per worker
   * (each feature tried for real in a context of its own), and which browser it is.
   *
   * @example
   * test('shows a notification', async ({ backgroundServicesSupport: support }) => {
   *   test.skip(!support.notifications.supported, support.notifications.reason);
   * });
   */
  backgroundServicesSupport: BackgroundServicesSupport;
}

export interface BackgroundServicesFixtures {
  /** The page's background services controller (the fixtures below use it). */
  backgroundServices: BackgroundServices;
  /** DevTools' Record button: records the given services (all six when omitted). */
  recordBackgroundService: RecordBackgroundService;
  /** Sends a push message to the page's service worker; resolves on "Push event completed". */
  triggerPush: (data: string | object, options?: TriggerPushOptions) => Promise<PushOutcome>;
  /** Fires a sync event at the page's service worker; resolves on "Dispatched sync event". */
  triggerSync: (tag: string, options?: TriggerSyncOptions) => Promise<SyncOutcome>;
  /** Fires a periodic sync event at the page's service worker; resolves on its dispatch. */
  triggerPeriodicSync: (tag: string, options?: TriggerPeriodicSyncOptions) => Promise<PeriodicSyncOutcome>;
  /** Takes the page's service worker offline (true: its requests fail, `navigator.onLine` is false, syncs are held) or back online (false). */
  setServiceWorkerOffline: (offline: boolean, options?: TriggerTarget) => Promise<void>;
  /** DevTools' Reporting API pane: the page's reports with their status history, and the endpoints. */
  reportingApi: ReportingWatcher;
  /** Resolves with the first report that matches and reached `filter.status`. */
  awaitReport: (filter?: ReportFilter, options?: { timeout?: number }) => Promise<WatchedReport>;
  /** A real HTTPS report endpoint for this test, trusted by the launched browser. */
  reportCollector: ReportCollector;
  /** DevTools' "Test back/forward cache": away to another site and back; restored, or why not. */
  testBackForwardCache: (page?: Page, options?: BackForwardCacheOptions) => Promise<BackForwardCacheResult>;
  /** Whether the browser has DevTools' bounce tracking "Force run" (asked on the test's page; warms Chromium up). */
  bounceTrackingSupport: BounceTrackingSupport;
  /** DevTools' "Force run": the sites whose state bounce tracking mitigations deleted. */
  forceBounceTrackingMitigations: (options?: ForceRunOptions) => Promise<ForceRunResult>;
  /** Bounce trackers Chromium flags (Issues panel), recorded on the test's page from the start. */
  bounceTrackingIssues: BounceTrackingIssues;
}

type TestArgs = PlaywrightTestArgs & PlaywrightTestOptions;
type WorkerArgs = PlaywrightWorkerArgs & PlaywrightWorkerOptions;

/** The project's `expect.timeout` (Playwright keeps it on the project at run time). */
function expectTimeout(project: object): number {
  const timeout = (project as { expect?: { timeout?: unknown } }).expect?.timeout;
  return typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT;
}

/** A helper as one boxed step in the report, titled as it was called (`shown` picks the arguments). */
function step<A extends unknown[], R>(name: string, run: (...args: A) => Promise<R>, shown: (...args: A) => unknown[] = (...args) => args): (...args: A) => Promise<R> {
  return (...args) => base.step(stepTitle(name, ...shown(...args)), () => run(...args), { box: true });
}

/**
 * The fixtures as a typed map, to pass to your own `base.extend()` (or use `test` below).
 *
 * @example
 * import { test as base } from '@playwright/test';
 * import { backgroundServicesFixtures } from 'playwright-background-services';
 * // The fixture and option types are inferred from the map.
 * export const test = base.extend(backgroundServicesFixtures);
 */
export const backgroundServicesFixtures: Fixtures<
  BackgroundServicesFixtures & BackgroundServicesTestOptions & PlumbingFixtures,
  BackgroundServicesWorkerOptions & BackgroundServicesWorkerFixtures & PlumbingWorkerFixtures,
  TestArgs,
  WorkerArgs
> = {
  // Boxed test fixtures also name their scope: before 1.46 Playwright took a tuple for a fixture
  // only with scope, auto, option or timeout in it, and a [fn, { box }] became the value itself.
  chromiumExecutablePath: [undefined, { scope: 'worker', option: true }],
  reportingShortDelay: [true, { scope: 'worker', option: true }],
  backForwardCache: [false, { scope: 'worker', option: true }],
  _reportCollectorServer: [
    async ({}, use) => {
      const server = await ReportCollectorServer.start();
      await use(server);
      await server.close();
    },
    { scope: 'worker', box: true },
  ],
  launchOptions: [
    async ({ launchOptions, browserName, chromiumExecutablePath, reportingShortDelay, backForwardCache, _reportCollectorServer }, use, workerInfo) => {
      if (browserName !== 'chromium') return use(launchOptions);
      const chosen = chooseChromium({
        launchOptions,
        // Read from the project: the `channel` fixture itself depends on launchOptions.
        channel: (workerInfo.project.use as { channel?: string }).channel,
        chromiumExecutablePath,
        playwrightExecutablePath: chromium.executablePath(),
      });
      // Playwright before 1.49 runs the full binary in the old headless mode (the shell's) unless
      // this is set; later versions ignore it, as `--headless` means the new mode there.
      if (chosen.choice.source === 'playwright' || chosen.choice.source === 'system') process.env.PLAYWRIGHT_CHROMIUM_USE_HEADLESS_NEW ??= '1';
      const args = [
        ...chosen.launchOptions.args,
        // Trusts only the collector's certificate, not every certificate.
        `--ignore-certificate-errors-spki-list=${_reportCollectorServer.spkiPin}`,
        ...(reportingShortDelay ? ['--short-reporting-delay'] : []),
      ];
      const ignoreDefaultArgs =
        backForwardCache && launchOptions.ignoreDefaultArgs !== true
          ? [...(launchOptions.ignoreDefaultArgs || []), '--disable-back-forward-cache']
          : launchOptions.ignoreDefaultArgs;
      const options = { ...launchOptions, ...chosen.launchOptions, args, ...(ignoreDefaultArgs !== undefined ? { ignoreDefaultArgs } : {}) };
      launchChoices.set(options, chosen.choice);
      await use(options);
    },
    { scope: 'worker', box: true },
  ],
  _backgroundServicesProbe: [
    async ({ browser, browserName, launchOptions, _reportCollectorServer, reportingShortDelay }, use) => {
      if (browserName === 'chromium') {
        probeBackgroundServicesSupport(browser, { choice: launchChoices.get(launchOptions), collectorServer: _reportCollectorServer, shortReportingDelay: reportingShortDelay });
      }
      await use();
    },
    { scope: 'worker', box: true },
  ],
  backgroundServicesSupport: [
    async ({ browser, browserName, _backgroundServicesProbe }, use) => {
      void _backgroundServicesProbe;
      if (browserName !== 'chromium') throw new UnsupportedBrowserError(browserName);
      const probe = probeBackgroundServicesSupport(browser);
      await use(await probe.all());
    },
    { scope: 'worker' },
  ],
  backgroundServicesTimeout: [undefined, { option: true }],
  grantBackgroundServicePermissions: [true, { option: true }],
  backgroundServicesUnsupportedBrowser: ['fail', { option: true }],
  backgroundServicesAttachments: ['on-failure', { option: true }],
  backgroundServicesMaxEvents: [undefined, { option: true }],

  _backgroundServicesBrowserCheck: [
    async ({ browserName, backgroundServicesUnsupportedBrowser }, use, testInfo) => {
      if (browserName !== 'chromium') {
        const error = new UnsupportedBrowserError(browserName);
        if (backgroundServicesUnsupportedBrowser === 'skip') testInfo.skip(true, error.message);
        throw error;
      }
      await use();
    },
    { scope: 'test', box: true },
  ],
  _backgroundServicesEvidence: [
    async ({ backgroundServicesAttachments }, use, testInfo) => {
      const evidence: Evidence = {
        wanted: () =>
          backgroundServicesAttachments === 'always' ||
          (backgroundServicesAttachments === 'on-failure' && testInfo.status !== testInfo.expectedStatus),
        backForwardCache: [],
      };
      await use(evidence);
      if (evidence.wanted() && (evidence.services || evidence.backForwardCache.length)) await attachEvidence(evidence, testInfo);
    },
    { scope: 'test', box: true },
  ],
  // The check comes first so that an unsupported browser is reported before it is launched.
  backgroundServices: [
    async (
      { _backgroundServicesBrowserCheck, _backgroundServicesProbe, _backgroundServicesEvidence, page, permissions, backgroundServicesTimeout, grantBackgroundServicePermissions, backgroundServicesMaxEvents },
      use,
      testInfo,
    ) => {
      void _backgroundServicesBrowserCheck;
      void _backgroundServicesProbe;
      const services = await BackgroundServices.create(page, {
        timeout: backgroundServicesTimeout ?? expectTimeout(testInfo.project),
        maxEvents: backgroundServicesMaxEvents,
        grantPermissions: grantBackgroundServicePermissions,
        permissions: permissions ?? [],
      });
      await use(services);
      // Taken before dispose, while the page can still name the service worker scopes.
      if (_backgroundServicesEvidence.wanted()) _backgroundServicesEvidence.services = await services.evidence();
      // Playwright closes its per-test context right after; a persistent one keeps what we leave on.
      await services.dispose({ contextClosing: page.context().browser() !== null });
    },
    { scope: 'test', box: true },
  ],
  recordBackgroundService: async ({ backgroundServices }, use) => {
    await use(step('recordBackgroundService', (services, options) => backgroundServices.record(services, options)));
  },
  triggerPush: async ({ backgroundServices }, use) => {
    await use(step('triggerPush', (data, options) => backgroundServices.triggerPush(data, options)));
  },
  triggerSync: async ({ backgroundServices }, use) => {
    await use(step('triggerSync', (tag, options) => backgroundServices.triggerSync(tag, options)));
  },
  triggerPeriodicSync: async ({ backgroundServices }, use) => {
    await use(step('triggerPeriodicSync', (tag, options) => backgroundServices.triggerPeriodicSync(tag, options)));
  },
  setServiceWorkerOffline: async ({ backgroundServices }, use) => {
    await use(step('setServiceWorkerOffline', (offline, options) => backgroundServices.setServiceWorkerOffline(offline, options)));
  },
  reportCollector: async ({ _reportCollectorServer }, use) => {
    const collector = _reportCollectorServer.createCollector();
    await use(collector);
    collector.close();
  },
  testBackForwardCache: async ({ page, _backgroundServicesBrowserCheck, _backgroundServicesProbe, _backgroundServicesEvidence }, use) => {
    void _backgroundServicesBrowserCheck;
    void _backgroundServicesProbe;
    await use(
      step(
        'testBackForwardCache',
        async (target = page, options) => {
          const result = await testBackForwardCache(target, options);
          _backgroundServicesEvidence.backForwardCache.push(result);
          return result;
        },
        (target = page, options) => [target.url(), options?.awayUrl],
      ),
    );
  },
  bounceTrackingSupport: async ({ page, _backgroundServicesBrowserCheck }, use) => {
    void _backgroundServicesBrowserCheck;
    await use(await base.step('bounceTrackingSupport', () => bounceTrackingSupport(page), { box: true }));
  },
  forceBounceTrackingMitigations: async ({ page, _backgroundServicesBrowserCheck, _backgroundServicesProbe }, use) => {
    void _backgroundServicesBrowserCheck;
    void _backgroundServicesProbe;
    await use(step('forceBounceTrackingMitigations', (options) => forceBounceTrackingMitigations(page, options), (options) => [options?.sites]));
  },
  bounceTrackingIssues: async ({ page, _backgroundServicesBrowserCheck }, use) => {
    void _backgroundServicesBrowserCheck;
    const issues = await recordBounceTrackingIssues(page);
    await use(issues);
    await issues.dispose();
  },
  reportingApi: async ({ backgroundServices }, use) => {
    await use(await backgroundServices.reportingApi());
  },
  awaitReport: async ({ reportingApi }, use) => {
    await use(step('awaitReport', (filter, options) => reportingApi.awaitReport(filter, options)));
  },
};

/**
 * Playwright's `test` with the background-services fixtures.
 *
 * @example
 * import { test, expect } from 'playwright-background-services';
 * test('a push shows a notification', async ({ page, recordBackgroundService, triggerPush }) => {
 *   const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
 *   await page.goto('/push/');
 *   await triggerPush('hello');
 *   await expect(recording).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: 'hello' } });
 * });
 */
export const test = base.extend<BackgroundServicesFixtures & BackgroundServicesTestOptions & PlumbingFixtures, BackgroundServicesWorkerOptions & BackgroundServicesWorkerFixtures & PlumbingWorkerFixtures>(
  backgroundServicesFixtures,
);

/**
 * Playwright's `expect` with the background-services matchers; combine it with yours through
 * `mergeExpects`.
 *
 * @example
 * await expect(recording).toHaveRecordedEvents([{ eventName: 'Push event dispatched' }, { eventName: 'Push event completed' }], { ordered: true });
 */
export const expect = baseExpect.extend(backgroundServiceMatchers);
