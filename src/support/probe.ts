import type { Browser, BrowserContext, Page } from '@playwright/test';
import { attachToTarget, Cdp } from '../cdp/cdp.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError, MissingCommandError } from '../cdp/errors.js';
import { emulateServiceWorkerOffline } from '../background-services/connectivity.js';
import { grantPermissions } from '../background-services/permissions.js';
import type { ReportCollectorServer } from '../reporting/collector.js';
import { SERVICE_TITLES, SERVICES, type ServiceName } from '../background-services/services.js';
import type { BrowserChoice } from '../cdp/browser.js';
import { describeSetup, exposesLoopback, type BrowserSetup, type RemoteServer } from './setup.js';
import { PROBE_SERVER_SOURCE, ProbeServer } from './probeServer.js';
import { openProbeCache, PROBE_CACHE_ENV, type ProbeCache } from './probeCache.js';
import { isPage } from '../cdp/guards.js';

/** A feature the probe checks. */
export type Feature =
  ServiceName | 'serviceWorkerOffline' | 'reportingApi' | 'networkErrorLogging' | 'reportingShortDelay' | 'backForwardCache' | 'bounceTrackingForceRun';

/** Every feature the probe knows. */
export const FEATURES = [
  ...SERVICES,
  'serviceWorkerOffline',
  'reportingApi',
  'networkErrorLogging',
  'reportingShortDelay',
  'backForwardCache',
  'bounceTrackingForceRun',
] as const satisfies readonly Feature[];
// Spelled out above so that the published types need no FEATURES; this fails to compile when a Feature is not probed.
const everyFeatureProbed: Record<Exclude<Feature, (typeof FEATURES)[number]>, never> = {};
void everyFeatureProbed;

export function isFeature(name: string): name is Feature {
  return (FEATURES as readonly string[]).includes(name);
}

/** DevTools' names, for messages and the README's table. */
export const FEATURE_TITLES: Readonly<Record<Feature, string>> = {
  ...SERVICE_TITLES,
  serviceWorkerOffline: 'Service worker offline emulation',
  reportingApi: 'Reporting API',
  networkErrorLogging: 'Network Error Logging',
  reportingShortDelay: 'Reports sent within ~100 ms (--short-reporting-delay)',
  backForwardCache: 'Back/forward cache',
  bounceTrackingForceRun: 'Bounce tracking "Force run"',
};

/** What the probe found for one feature. */
export interface FeatureSupport {
  supported: boolean;
  /** Why not, or a note when supported. */
  reason?: string;
}

/** Which browser runs. */
export interface BrowserIdentity {
  product: string;
  version: string;
  userAgent: string;
  headlessShell: boolean;
  headless: boolean;
  chosenBy: string;
  /** e.g. `chrome-headless-shell 156.0.8078.114` */
  description: string;
  /** Where kept answers came from (the probe cache). */
  cache?: string;
}

// An interface, not an intersection: API Extractor attaches what it says about a literal's types to no declaration.
/** What the browser can do, per feature, and which it is. */
export interface BackgroundServicesSupport extends Readonly<Record<Feature, FeatureSupport>> {
  /** Which browser runs. */
  readonly browser: BrowserIdentity;
}

export interface ProbeOptions {
  /** How the fixtures chose the browser, for messages. */
  choice?: BrowserChoice;
  /** The fixtures' HTTPS collector, whose certificate the browser trusts: needed to see NEL. */
  collectorServer?: ReportCollectorServer;
  /** Whether the fixtures passed `--short-reporting-delay` (NEL's report then arrives in ~100 ms). */
  shortReportingDelay?: boolean;
  /** The `backForwardCache` option: whether the fixtures asked for the cache to be on. */
  backForwardCache?: boolean;
  /** The remote browser server the browser runs on (`connectOptions`), if any. */
  remote?: RemoteServer;
  /** The folder of the probe cache, whose answers are kept between runs; none: no cache. */
  cacheDir?: string;
}

/** Waits that end a probe of a feature that never answers (the headless shell's Background Fetch). */
const PROBE_TIMEOUT_MS = 10_000;

/** The most any one feature's probe may take, whatever it waits for. */
const PROBE_DEADLINE_MS = 30_000;

function withDeadline(probe: Promise<FeatureSupport>, feature: Feature): Promise<FeatureSupport> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<FeatureSupport>((resolve) => {
    timer = setTimeout(
      () => resolve({ supported: false, reason: `the probe of ${feature} did not finish within ${PROBE_DEADLINE_MS / 1000} s` }),
      PROBE_DEADLINE_MS,
    );
    timer.unref?.();
  });
  return Promise.race([probe, deadline]).finally(() => clearTimeout(timer));
}

let serverPromise: Promise<ProbeServer> | undefined;
function probeServer(): Promise<ProbeServer> {
  serverPromise ??= ProbeServer.start();
  return serverPromise;
}

interface ProbeSite {
  page: Page;
  cdp: Cdp;
}

/** A browser's capability probe: each feature asked once. */
export class SupportProbe {
  // Each feature is asked lazily, so a test that needs one feature waits only for that one, and
  // cheaply first: the browser's version and command line (no page) answer the set-up, the
  // back/forward cache flag, and on a full Chromium push, Reporting API and NEL, whose live checks
  // could only say yes there. The rest is tried for real in a context of the probe's own (a service
  // worker that shows a notification, registers syncs, starts a background fetch; a payment app
  // installed just in time; the worker taken offline), as is everything on the headless shell.
  readonly #results = new Map<Feature, Promise<FeatureSupport>>();
  #identityPromise: Promise<BrowserIdentity> | undefined;
  #sitePromise: Promise<ProbeSite> | undefined;
  #contextPromise: Promise<BrowserContext> | undefined;
  readonly #owner: { browser: Browser | null; context: BrowserContext | undefined };

  /** @internal Use `probeBackgroundServicesSupport()`. */
  constructor(
    owner: { browser: Browser | null; context: BrowserContext | undefined },
    /** @internal How the fixtures launched the browser. */
    readonly options: ProbeOptions = {},
  ) {
    this.#owner = owner;
  }

  #setupPromise: Promise<BrowserSetup> | undefined;
  #cachePromise: Promise<ProbeCache | undefined> | undefined;
  #fromCache = false;

  // Only a browser the fixtures launch here: its command line keys the cache.
  #cache(): Promise<ProbeCache | undefined> {
    this.#cachePromise ??= (async () => {
      const { cacheDir, remote, collectorServer, shortReportingDelay, backForwardCache } = this.options;
      const browser = this.#owner.browser;
      if (!cacheDir || remote || !browser) return undefined;
      const options = { collector: !!collectorServer, shortReportingDelay, backForwardCache };
      const commandLine = this.commandLine().then((line) => line ?? Promise.reject(new BackgroundServicesError('no command line')));
      return openProbeCache(cacheDir, { options, code: PROBE_CODE, pin: collectorServer?.spkiPin, commandLine, version: this.version() }).catch(
        () => undefined,
      );
    })();
    return this.#cachePromise;
  }

  /** @internal Whether the browser reaches this machine's loopback: known from the options, no page needed. */
  get reachesRunner(): boolean {
    const remote = this.options.remote;
    return !remote || exposesLoopback(remote.exposeNetwork);
  }

  /**
   * @internal
   * Where the browser runs and what of the fixtures' launch reached it, measured once: the report
   * collector's certificate pin in the browser's command line, or where that cannot be asked, a page
   * of the probe's own that opens the collector (a certificate error says the flags were dropped).
   * A remote browser reaches this machine only through `exposeNetwork`.
   */
  setup(): Promise<BrowserSetup> {
    this.#setupPromise ??= (async () => {
      const cache = await this.#cache();
      const cached = cache?.entry?.setup;
      if (cached) {
        this.#fromCache = true;
        return { ...cached, remote: this.options.remote, description: describeSetup({ ...cached, remote: this.options.remote }, this.options.choice) };
      }
      const remote = this.options.remote;
      const collector = this.options.collectorServer;
      const reachesRunner = this.reachesRunner;
      let launchFlags = false;
      // The browser's own command line tells, where it can be asked: the pin flag in it is what makes the collector trusted.
      const commandLine = collector && reachesRunner ? await this.commandLine() : undefined;
      if (collector && commandLine !== undefined) launchFlags = switchValue(commandLine, IGNORE_SPKI_SWITCH)?.split(',').includes(collector.spkiPin) ?? false;
      else if (collector && reachesRunner) {
        const { page, close } = await this.isolatedPage();
        launchFlags = await page.goto(`${collector.origin}/`, { timeout: PROBE_TIMEOUT_MS }).then(
          () => true,
          () => false,
        );
        await close().catch(() => {});
      }
      // Without a collector (a probe made outside the fixtures) there is no launch of theirs to tell.
      const kind = remote ? 'remote' : collector && !launchFlags ? 'attached' : 'local';
      const setup = { kind, remote, launchFlags, reachesRunner } as const;
      // A collector page that timed out on a busy machine would read as "attached": kept only when local.
      if (kind === 'local') cache?.update((entry) => (entry.setup = { kind, launchFlags, reachesRunner }));
      return { ...setup, description: describeSetup(setup, this.options.choice) };
    })();
    return this.#setupPromise;
  }

  #versionPromise: Promise<Omit<BrowserIdentity, 'chosenBy'>> | undefined;
  #commandLinePromise: Promise<string | undefined> | undefined;

  /** @internal The browser's command line (`SystemInfo.getInfo`), or undefined where no browser-wide session answers. */
  commandLine(): Promise<string | undefined> {
    this.#commandLinePromise ??= (async () => {
      const browser = this.#owner.browser;
      if (!browser) return undefined;
      // Nobody waits for the detach: at worker start, each wait here is a wait for the first test.
      const session = await browser.newBrowserCDPSession();
      return session.send('SystemInfo.getInfo').finally(() => void session.detach().catch(() => {}));
    })().then(
      (info) => info?.commandLine,
      () => undefined,
    );
    return this.#commandLinePromise;
  }

  /** @internal Which browser this is, without the set-up: a browser-wide session, no page. */
  version(): Promise<Omit<BrowserIdentity, 'chosenBy'>> {
    this.#versionPromise ??= (async () => {
      const browser = this.#owner.browser;
      const viaBrowser = browser
        ? browser.newBrowserCDPSession().then((session) => session.send('Browser.getVersion').finally(() => void session.detach().catch(() => {})))
        : Promise.reject(new BackgroundServicesError('no browser'));
      // A persistent context has no browser to open a session on: a blank page of its own.
      const version = await viaBrowser.catch(async () => {
        const { page, cdp } = await this.newSite('');
        return cdp.send('Browser.getVersion').finally(() => page.close());
      });
      const headlessShell = version.product.startsWith('HeadlessChrome/');
      const headless = headlessShell || version.userAgent.includes('HeadlessChrome/');
      const number = version.product.split('/')[1] ?? version.product;
      const edge = /\bEdg\//.test(version.userAgent);
      const name = headlessShell ? 'chrome-headless-shell' : edge ? 'Microsoft Edge' : 'Chromium/Chrome';
      const mode = headlessShell ? '' : headless ? ' (new headless)' : ' (headed)';
      return {
        product: version.product,
        version: number,
        userAgent: version.userAgent,
        headlessShell,
        headless,
        description: `${name} ${number}${mode}`,
      };
    })();
    return this.#versionPromise;
  }

  /** Which browser this is. */
  async identity(): Promise<BrowserIdentity> {
    this.#identityPromise ??= (async () => {
      const [version, setup] = await Promise.all([this.version(), this.setup()]);
      return { ...version, chosenBy: setup.description };
    })();
    const identity = await this.#identityPromise;
    const cache = this.#fromCache ? await this.#cache() : undefined;
    if (!cache?.entry) return identity;
    return {
      ...identity,
      cache: `some answers came from the probe cache (${cache.file}, first probed ${cache.entry.probedAt}; ${PROBE_CACHE_ENV}=0 turns it off)`,
    };
  }

  /** Probes one feature. */
  feature(feature: Feature): Promise<FeatureSupport> {
    let result = this.#results.get(feature);
    if (!result) {
      const probe = async (): Promise<FeatureSupport> => {
        if (!this.reachesRunner) return unsupported(`not probed: ${UNREACHABLE}`);
        const cache = await this.#cache();
        const cached = cache?.entry?.features[feature];
        if (cached) {
          this.#fromCache = true;
          return cached;
        }
        const found = await withDeadline(PROBES[feature](this), feature);
        if (cache && keepable(found)) cache.update((entry) => (entry.features[feature] = found));
        return found;
      };
      result = probe().catch((error: unknown) => ({
        supported: false,
        reason: `the probe failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      }));
      this.#results.set(feature, result);
    }
    return result;
  }

  /** Probes every feature. */
  async all(): Promise<BackgroundServicesSupport> {
    const entries = await Promise.all(FEATURES.map(async (feature) => [feature, await this.feature(feature)] as const));
    return { ...(Object.fromEntries(entries) as Record<Feature, FeatureSupport>), browser: await this.identity() };
  }

  /** @internal A context of the probe's own, so nothing it does reaches a test's context. */
  context(): Promise<BrowserContext> {
    this.#contextPromise ??= this.#owner.browser ? this.#owner.browser.newContext() : Promise.resolve(this.#owner.context!);
    return this.#contextPromise;
  }

  /** @internal A fresh page of the probe context with a CDP session. */
  async newSite(path: string): Promise<ProbeSite> {
    const [context, server] = await Promise.all([this.context(), probeServer()]);
    const page = await context.newPage();
    const cdp = Cdp.from(await context.newCDPSession(page));
    if (path) await page.goto(`${server.origin}${path}`);
    return { page, cdp };
  }

  /**
   * @internal A page in a context of its own, closed by `close()`. NEL needs one: the headless
   * shell delivered NEL in the probe's shared context (after the other probes had run there) but
   * never in a fresh context, which is what a test has.
   */
  async isolatedPage(): Promise<{ page: Page; close: () => Promise<void> }> {
    if (!this.#owner.browser) {
      const { page } = await this.newSite('');
      return { page, close: () => page.close() };
    }
    // Explicit: the test runner's own context options (ignoreHTTPSErrors among them) would apply.
    const context = await this.#owner.browser.newContext({ ignoreHTTPSErrors: false });
    return { page: await context.newPage(), close: () => context.close() };
  }

  /** @internal The page whose service worker answers the service probes. */
  site(): Promise<ProbeSite> {
    this.#sitePromise ??= (async () => {
      const site = await this.newSite('');
      await grantPermissions(site.cdp, [], undefined);
      const server = await probeServer();
      await site.page.goto(`${server.origin}/sw/`);
      return site;
    })();
    return this.#sitePromise;
  }

  /** @internal Runs `what(registration)` in the probe page. */
  async attempt(what: string): Promise<{ ok: boolean; value?: unknown; error?: string }> {
    const { page } = await this.site();
    return page.evaluate<{ ok: boolean; value?: unknown; error?: string }>(`window.probeAttempt(${what})`);
  }

  readonly #onces = new Map<string, Promise<unknown>>();
  #versions = new Map<string, { registrationId: string; running: boolean; targetId?: string }>();
  readonly #versionsUpdated = new Emitter();

  /** @internal Runs `make` once per key (concurrent probes share the worker's set-up). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.#onces.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      this.#onces.set(key, value);
    }
    return value;
  }

  /** @internal */
  versionsChanged(versions: Map<string, { registrationId: string; running: boolean; targetId?: string }>): void {
    this.#versions = versions;
    this.#versionsUpdated.emit();
  }

  /** @internal The running version of a registration; `start` is called when none runs. */
  async runningVersion(registrationId: string, start: () => Promise<void>): Promise<{ targetId?: string } | undefined> {
    const find = () => [...this.#versions.values()].find((v) => v.registrationId === registrationId && v.running);
    if (find()) return find();
    await start();
    return new Promise((resolve) => {
      const done = (value: { targetId?: string } | undefined) => {
        off();
        clearTimeout(timer);
        resolve(value);
      };
      const check = () => {
        const found = find();
        if (found) done(found);
      };
      const timer = setTimeout(() => done(undefined), PROBE_TIMEOUT_MS);
      const off = this.#versionsUpdated.on(check);
      check();
    });
  }

  /** @internal A message the probe's worker posts, or undefined after the probe timeout. */
  async message(kind: string): Promise<Record<string, unknown> | undefined> {
    const { page } = await this.site();
    return page.evaluate<Record<string, unknown> | undefined>(`window.probeMessage(${JSON.stringify(kind)}, ${PROBE_TIMEOUT_MS})`);
  }
}

/**
 * A probe that waited and got no answer. Only the headless shell, which lacks the machinery, is
 * told "no" on silence alone; a full browser may just be slow on a loaded machine, and a wrong
 * "no" would fail tests that would pass, so it is told "yes, not confirmed".
 */
async function silent(probe: SupportProbe, what: string): Promise<FeatureSupport> {
  const { headlessShell } = await probe.version();
  return headlessShell ? unsupported(what) : supported(`not confirmed: ${what}`);
}

/** Why a remote browser cannot reach the probe's pages, the collector or the demo app. */
export const UNREACHABLE =
  "the remote browser does not reach this machine's 127.0.0.1, where the probe's pages and the report collector are served: connectOptions has no exposeNetwork: '<loopback>'";

const IGNORE_SPKI_SWITCH = '--ignore-certificate-errors-spki-list';
const DISABLE_BFCACHE_SWITCH = '--disable-back-forward-cache';

/** A switch's value in a command line as Chromium reads it (the last one wins), '' for a switch without one, undefined when absent. */
function switchValue(commandLine: string, name: string): string | undefined {
  let value: string | undefined;
  for (const arg of commandLine.split(' ')) {
    if (arg === name) value = '';
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  }
  return value;
}

/**
 * On a full Chromium a live check that got no answer says "yes, not confirmed" (`silent()`): one
 * whose only "no" is that silence is run on the headless shell alone, where silence is a "no".
 */
async function liveCheckCannotRefute(probe: SupportProbe): Promise<boolean> {
  return !(await probe.version()).headlessShell;
}

const bfcacheOffByFlag = (): FeatureSupport =>
  unsupported(
    `the cache is off: the browser was launched with --disable-back-forward-cache, which Playwright passes by default (BackForwardCacheDisabledByCommandLine)`,
  );

const supported = (reason?: string): FeatureSupport => (reason ? { supported: true, reason } : { supported: true });
const unsupported = (reason: string): FeatureSupport => ({ supported: false, reason });

/** `registration.<call>` resolves: supported; rejects: the browser's own words. */
async function registrationCall(probe: SupportProbe, call: string, label: string): Promise<FeatureSupport> {
  const outcome = await probe.attempt(`(registration) => ${call}`);
  return outcome.ok ? supported() : unsupported(`${label} rejected: ${outcome.error}`);
}

/** The probe worker's registration, and its target once it runs (started if it is not). */
async function workerRegistration(probe: SupportProbe): Promise<{ registrationId: string; targetId: string | undefined; origin: string }> {
  const { cdp } = await probe.site();
  const server = await probeServer();
  const scope = `${server.origin}/sw/`;
  await probe.attempt('() => true');
  const registrationId = await probe.once('registration', async () => {
    const found = new Promise<string>((resolve) => {
      const off = cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const id = registrations.find((r) => r.scopeURL === scope && !r.isDeleted)?.registrationId;
        if (!id) return;
        off();
        resolve(id);
      });
    });
    const versions = new Map<string, { registrationId: string; running: boolean; targetId?: string }>();
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions)
        versions.set(v.versionId, {
          registrationId: v.registrationId,
          running: v.status === 'activated' && v.runningStatus === 'running',
          targetId: v.targetId,
        });
      probe.versionsChanged(versions);
    });
    await cdp.send('ServiceWorker.enable');
    return found;
  });
  const running = await probe.runningVersion(registrationId, async () => {
    await cdp.send('ServiceWorker.startWorker', { scopeURL: scope });
  });
  return { registrationId, targetId: running?.targetId, origin: server.origin };
}

const PROBES: Readonly<Record<Feature, (probe: SupportProbe) => Promise<FeatureSupport>>> = {
  notifications: (probe) =>
    registrationCall(
      probe,
      `registration.showNotification('probe', { tag: 'probe' }).then(() => registration.getNotifications()).then((shown) => shown.forEach((n) => n.close()))`,
      'showNotification()',
    ),
  backgroundSync: (probe) => registrationCall(probe, `registration.sync.register('probe')`, 'sync.register()'),
  periodicBackgroundSync: (probe) =>
    registrationCall(probe, `registration.periodicSync.register('probe', { minInterval: 86400000 })`, 'periodicSync.register()'),
  async backgroundFetch(probe) {
    const started = await probe.attempt(`(registration) => registration.backgroundFetch.fetch('probe', ['/sw/fetched.txt']).then((r) => r.id)`);
    if (!started.ok) return unsupported(`backgroundFetch.fetch() rejected: ${started.error}`);
    // The wait for the fetch's end is the headless shell's check (it has no download service).
    if (await liveCheckCannotRefute(probe)) return supported();
    const done = await probe.message('backgroundfetch');
    return done
      ? supported()
      : silent(
          probe,
          `a background fetch of one small file started but did not complete within ${PROBE_TIMEOUT_MS / 1000} s (the headless shell has no download service)`,
        );
  },
  async paymentHandler(probe) {
    const { page } = await probe.site();
    // Headed, the probe's other windows may cover this one, and show() refuses a background tab.
    await page.bringToFront();
    await page.click('#pay');
    const outcome = await page.evaluate<{ ok: boolean; error?: string }>(
      `Promise.race([window.payment, new Promise((resolve) => setTimeout(() => resolve({ ok: false, error: 'show() did not settle within ${PROBE_TIMEOUT_MS / 1000} s' }), ${PROBE_TIMEOUT_MS}))])`,
    );
    if (outcome.ok) return supported();
    const failure = `PaymentRequest.show() with a just-in-time payment app failed: ${outcome.error}`;
    const inconclusive = outcome.error?.startsWith('show() did not settle') || outcome.error?.includes('background tab');
    return inconclusive ? silent(probe, failure) : unsupported(failure);
  },
  async pushMessaging(probe) {
    // ServiceWorker.deliverPushMessage needs no push service: a full Chromium delivers it to any worker.
    if (await liveCheckCannotRefute(probe)) return supported();
    const { cdp } = await probe.site();
    const { registrationId, origin } = await workerRegistration(probe);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: 'probe' });
    const pushed = await probe.message('push');
    return pushed ? supported() : silent(probe, `ServiceWorker.deliverPushMessage did not reach the worker's push handler within ${PROBE_TIMEOUT_MS / 1000} s`);
  },
  async serviceWorkerOffline(probe) {
    const { cdp } = await probe.site();
    const { targetId } = await workerRegistration(probe);
    if (!targetId) return unsupported('the probe worker has no target to emulate offline on');
    const worker = await attachToTarget(cdp, targetId);
    try {
      await emulateServiceWorkerOffline(worker, true);
      await emulateServiceWorkerOffline(worker, false);
      return supported();
    } catch (error) {
      return unsupported(`offline emulation on the worker's target failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await worker.detach();
    }
  },
  async reportingApi(probe) {
    if (await liveCheckCannotRefute(probe)) return supported();
    const server = await probeServer();
    const { page, cdp } = await probe.newSite('');
    try {
      const added = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
        cdp.on('Network.reportingApiReportAdded', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      await cdp.send('Network.enable');
      await cdp.send('Network.enableReportingApi', { enable: true });
      await page.goto(`${server.origin}/report`);
      return (await added) ? supported() : await silent(probe, `a CSP violation with Reporting-Endpoints logged no report within ${PROBE_TIMEOUT_MS / 1000} s`);
    } catch (error) {
      if (error instanceof MissingCommandError) return unsupported(error.message);
      throw error;
    } finally {
      await page.close();
    }
  },
  async networkErrorLogging(probe) {
    const collectorServer = probe.options.collectorServer;
    if (!collectorServer) {
      return unsupported(
        `not probed: NEL needs an HTTPS endpoint the browser trusts, which only a browser launched by the fixtures has (the report collector's certificate)`,
      );
    }
    const setup = await probe.setup();
    if (setup.kind === 'remote') {
      // net/http/http_network_transaction.cc, ProcessNetworkErrorLoggingHeader and GenerateNetworkErrorLoggingReport.
      return unsupported(
        `Chromium takes no NEL policy from a response that came through a proxy, and makes no NEL report for one ("Don't accept NEL headers received via a proxy"), and a remote browser reaches this machine only through exposeNetwork's SOCKS proxy`,
      );
    }
    if (!setup.launchFlags) {
      return unsupported(
        `Chromium takes NEL headers only from a connection without certificate errors, and only the fixtures' launch flag (--ignore-certificate-errors-spki-list) makes the report collector's certificate trusted`,
      );
    }
    if (await liveCheckCannotRefute(probe)) return supported();
    const collector = collectorServer.createCollector();
    const { page, close } = await probe.isolatedPage();
    try {
      const url = collector.pageWithHeaders({ nel: true });
      await page.goto(url);
      await page.goto(url);
      const received = await collector.waitForReport({ type: 'network-error' }, { timeout: PROBE_TIMEOUT_MS }).then(
        () => true,
        () => false,
      );
      return received
        ? supported()
        : await silent(
            probe,
            `a page with NEL and Report-To headers sent no network-error report to a trusted HTTPS collector within ${PROBE_TIMEOUT_MS / 1000} s`,
          );
    } finally {
      collector.close();
      await close();
    }
  },
  // A launch flag, not a browser feature: whether it reached the browser is what the set-up measured.
  async reportingShortDelay(probe) {
    if (probe.options.shortReportingDelay === false)
      return unsupported(`reportingShortDelay is false: Chromium sends a context's first report at once and holds later ones for up to 60 s`);
    const setup = await probe.setup();
    if (!probe.options.collectorServer) return unsupported(`not probed: only a browser the fixtures launch gets --short-reporting-delay`);
    if (!setup.launchFlags) {
      return unsupported(
        `the browser did not get the fixtures' --short-reporting-delay (${setup.description}): Chromium sends a context's first report at once and holds later ones for up to 60 s`,
      );
    }
    return supported();
  },
  async backForwardCache(probe) {
    // The flag is the one reason the browser would give: no navigation needed to hear it.
    const commandLine = await probe.commandLine();
    if (commandLine !== undefined && switchValue(commandLine, DISABLE_BFCACHE_SWITCH) !== undefined) return bfcacheOffByFlag();
    const server = await probeServer();
    const { page, cdp } = await probe.newSite('/bfcache');
    try {
      await cdp.send('Page.enable');
      const outcome = new Promise<string[] | 'restored' | 'timeout'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), PROBE_TIMEOUT_MS);
        cdp.on('Page.backForwardCacheNotUsed', (event) => {
          clearTimeout(timer);
          resolve(event.notRestoredExplanations.map((explanation) => explanation.reason));
        });
        cdp.on('Page.frameNavigated', (event) => {
          if (event.type !== 'BackForwardCacheRestore') return;
          clearTimeout(timer);
          resolve('restored');
        });
      });
      await page.goto(`${server.crossSiteOrigin}/away`);
      const history = await cdp.send('Page.getNavigationHistory');
      const previous = history.entries[history.currentIndex - 1];
      if (!previous) return unsupported('the probe could not go back in history');
      await cdp.send('Page.navigateToHistoryEntry', { entryId: previous.id });
      const result = await outcome;
      if (result === 'restored') return supported();
      if (result === 'timeout') return supported(`not confirmed: the probe's back navigation gave no answer within ${PROBE_TIMEOUT_MS / 1000} s`);
      if (result.includes('BackForwardCacheDisabledByCommandLine')) return bfcacheOffByFlag();
      if (result.includes('BackForwardCacheDisabledForDelegate')) {
        return unsupported(`this browser has no back/forward cache (BackForwardCacheDisabledForDelegate)`);
      }
      if (result.includes('BackForwardCacheDisabled')) return unsupported(`the cache is disabled in this browser (${result.join(', ')})`);
      // Anything else is about the probe page at that moment (memory, timing), not the browser.
      return supported(`the probe page itself was not restored (${result.join(', ')}), but the cache is on`);
    } finally {
      await page.close();
    }
  },
  async bounceTrackingForceRun(probe) {
    const { cdp } = await probe.site();
    try {
      await cdp.send('Storage.runBounceTrackingMitigations');
      return supported();
    } catch (error) {
      if (error instanceof MissingCommandError) {
        return unsupported(
          `the browser has no Storage.runBounceTrackingMitigations (DevTools' "Force run"); Chromium 156 compiled it out and Chromium 150 has it`,
        );
      }
      throw error;
    }
  },
};

// What the probe does, for the cache's key: changed code asks the browser again.
const PROBE_CODE = [
  SupportProbe,
  withDeadline,
  silent,
  switchValue,
  liveCheckCannotRefute,
  bfcacheOffByFlag,
  registrationCall,
  workerRegistration,
  keepable,
  ...Object.values(PROBES),
]
  .map(String)
  .concat(PROBE_SERVER_SOURCE)
  .join('\n');

/** Answers the load of the machine may have shaped are asked again on the next run. */
function keepable(support: FeatureSupport): boolean {
  const reason = support.reason ?? '';
  return !/not confirmed|did not finish within|the probe failed|not probed|did not settle|background tab/.test(reason);
}

/**
 * A new capability probe of the browser of `target`, which asks each feature once, when first asked.
 * @example
 * const support = await probeBackgroundServicesSupport(page).all();
 */
export function probeBackgroundServicesSupport(target: Page | Browser): SupportProbe {
  return createSupportProbe(target);
}

/** A new probe of `target`'s browser, made with `options` (how the fixtures launched it). */
export function createSupportProbe(target: Page | Browser, options?: ProbeOptions): SupportProbe {
  const browser = isPage(target) ? target.context().browser() : target;
  const context = isPage(target) ? target.context() : undefined;
  return new SupportProbe({ browser, context }, options);
}

// Who may answer for a browser when a call names only a page (a matcher, a free function): the
// probe the fixtures bound to the browser they launched, else one made with no options for that
// browser alone. Neither is ever one a user made, so no probe changes another's answers.
const fixtureProbes = new WeakMap<object, SupportProbe>();
const ownProbes = new WeakMap<object, SupportProbe>();

/** @internal The fixtures' probe answers for `browser` (their worker browser) from now on. */
export function bindFixtureProbe(browser: Browser, probe: SupportProbe): void {
  fixtureProbes.set(browser, probe);
}

/** The probe that answers for `page`'s browser: the fixtures' if they launched it, else one of its own. */
export function probeFor(page: Page): SupportProbe {
  const key = page.context().browser() ?? page.context();
  let probe = fixtureProbes.get(key) ?? ownProbes.get(key);
  if (!probe) {
    probe = createSupportProbe(page);
    ownProbes.set(key, probe);
  }
  return probe;
}
