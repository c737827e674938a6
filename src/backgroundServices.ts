import type { Page } from '@playwright/test';
import { openPageSession, type Cdp } from './cdp/cdp.js';
import type { PageSession } from './cdp/session.js';
import { BackgroundServicesError, PageCrashedError, TargetClosedError } from './cdp/errors.js';
import { EventHub } from './background-services/hub.js';
import { grantPermissions, type PermissionType } from './background-services/permissions.js';
import { assertMaxEvents, BackgroundServiceRecording, type RecordOptions } from './background-services/recording.js';
import { normalizeServices, type ServiceName } from './background-services/services.js';
import { ServiceWorkerRegistry, type ServiceWorkerRegistrationInfo } from './background-services/serviceWorkers.js';
import {
  ServiceWorkerTriggers,
  type PeriodicSyncOutcome,
  type PushOutcome,
  type SyncOutcome,
  type TriggerPeriodicSyncOptions,
  type TriggerPushOptions,
  type TriggerSyncOptions,
  type TriggerTarget,
} from './background-services/triggers.js';
import { assertTimeout, DEFAULT_TIMEOUT } from './cdp/wait.js';
import { ServiceWorkerConnectivity } from './background-services/connectivity.js';
import { ReportingWatcher } from './reporting/watcher.js';
import type { TimelineInput } from './evidence/timeline.js';
import { describeType, toProtocolEvent } from './background-services/events.js';
import { originOf } from './background-services/filter.js';
import { isFeature, probeBackgroundServicesSupport, type Feature, type SupportProbe } from './support/probe.js';
import { requireFeature, unsupportedFeature } from './support/require.js';

export interface CreateBackgroundServicesOptions {
  /** Default timeout of every wait, in milliseconds (0: no limit). Default 5000. */
  timeout?: number;
  /**
   * Grant the permissions the services need (notifications, background sync, periodic
   * background sync, background fetch, payment handler) to the page's context. Default true.
   */
  grantPermissions?: boolean;
  /** More permissions to grant with them (Playwright or CDP names), since one grant replaces another. */
  permissions?: readonly string[];
  /**
   * Keep at most this many events of this page, dropping the oldest, in every recording (unless
   * `record()` sets its own) and in the evidence attached to the report: for long runs. Default:
   * no limit.
   */
  maxEvents?: number;
}

/**
 * Background services of one page, through one CDP session: recordings, triggers, permissions
 * and service worker connectivity. The fixtures are thin wrappers around it; use it directly
 * to build your own fixtures or outside Playwright's runner.
 *
 * @example
 * const services = await createBackgroundServices(page, { timeout: 10_000 });
 * const recording = await services.record(['pushMessaging']);
 * await page.goto('http://localhost:4321/push/');
 * await services.triggerPush('hello');
 * await services.dispose();
 */
/** How long a closed page waits to hear that its browser disconnected: Playwright closes the pages first. */
const DISCONNECT_GRACE_MS = 250;

/**
 * The error for a page that closed, made once. A browser that disconnects (its process ended, a
 * remote browser server went away) closes every page a moment before it says so: a wait then
 * fails naming that, not blaming the test for closing the page.
 */
function closedErrorOf(page: Page): () => Promise<Error> {
  let error: Promise<Error> | undefined;
  return () =>
    (error ??= new Promise<Error>((resolve) => {
      const url = page.url();
      const browser = page.context().browser();
      const closed = () => new TargetClosedError(`The page (${url}) was closed.`);
      if (!browser) return resolve(closed());
      const disconnected = () =>
        new TargetClosedError(
          `The page (${url}) was closed: its browser disconnected (the browser process ended, or the connection to the remote browser server dropped). What was recorded stays readable.`,
        );
      if (!browser.isConnected()) return resolve(disconnected());
      const onDisconnected = () => {
        clearTimeout(timer);
        resolve(disconnected());
      };
      const timer = setTimeout(() => {
        browser.off('disconnected', onDisconnected);
        resolve(closed());
      }, DISCONNECT_GRACE_MS);
      browser.once('disconnected', onDisconnected);
    }));
}

export class BackgroundServices {
  private readonly recordings = new Set<BackgroundServiceRecording>();
  private readonly registry: ServiceWorkerRegistry;
  private readonly connectivity: ServiceWorkerConnectivity;
  private readonly triggers: ServiceWorkerTriggers;
  // What every feature of this page receives (cdp/session.ts).
  private readonly session: PageSession;
  private disposed = false;
  private readonly cleanups: Array<() => void> = [];
  private watcher: ReportingWatcher | undefined;
  private readonly probe: SupportProbe;
  readonly timeout: number;

  private constructor(
    readonly page: Page,
    private readonly cdp: Cdp,
    private readonly hub: EventHub,
    private readonly options: CreateBackgroundServicesOptions,
  ) {
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.probe = probeBackgroundServicesSupport(page);
    this.session = {
      cdp,
      page,
      timeout: () => this.timeout,
      pageUrl: () => page.url(),
      currentOrigin: () => originOf(page.url()),
      onAbort: (listener) => hub.onAbort(listener),
      describeBrowser: () => cdp.describeBrowser(),
      unsupportedService: (service, call) => (isFeature(service) ? unsupportedFeature(this.probe, service, call) : Promise.resolve(undefined)),
    };
    this.registry = new ServiceWorkerRegistry(this.session);
    this.connectivity = new ServiceWorkerConnectivity(this.session, this.registry);
    this.triggers = new ServiceWorkerTriggers(this.session, hub, this.registry, this.connectivity);
  }

  /** @internal Use `createBackgroundServices()`. */
  static async create(page: Page, options: CreateBackgroundServicesOptions = {}): Promise<BackgroundServices> {
    assertTimeout(options.timeout, 'createBackgroundServices()');
    const maxEvents = assertMaxEvents(options.maxEvents, 'createBackgroundServices()');
    const cdp = await openPageSession(page, 'createBackgroundServices()');
    const closedError = closedErrorOf(page);
    const hub = new EventHub(cdp, () => `The page (${page.url()})`, maxEvents, closedError);
    const onClose = () => void closedError().then((error) => hub.abort(error));
    // The session stays open after a crash (the browser still answers, and still logs the
    // events of a restarted worker), but Playwright fails every later call on the page.
    const onCrash = () => hub.abort(new PageCrashedError(page.url()));
    page.once('close', onClose);
    page.once('crash', onCrash);
    // Whichever tells first: Playwright's own session or this one.
    const offCrash = cdp.on('Inspector.targetCrashed', onCrash);
    const services = new BackgroundServices(page, cdp, hub, options);
    services.cleanups.push(
      () => page.off('close', onClose),
      () => page.off('crash', onCrash),
      offCrash,
    );
    // From the start: Chromium reports a worker's errors (why its install failed) once, never on a
    // later enable. Not awaited: the session answers its commands in order, so what follows waits anyway.
    services.registry.enable().catch(() => {});
    if (options.grantPermissions ?? true) await services.grantPermissions(options.permissions);
    return services;
  }

  /**
   * Grants the background services' permissions, and `extra`, to every origin of the context.
   * One grant replaces another in Chromium, so pass every permission the test needs here.
   *
   * @example
   * await services.grantPermissions(['geolocation']);
   */
  async grantPermissions(extra: readonly string[] = []): Promise<PermissionType[]> {
    return grantPermissions(this.cdp, [...(this.options.permissions ?? []), ...extra], this.page.context());
  }

  /**
   * DevTools' Record button for one or more services (all six when omitted). The browser
   * replays what it had stored; those events are flagged `preexisting`.
   *
   * @example
   * const recording = await services.record(['pushMessaging', 'notifications']);
   */
  async record(services?: ServiceName | readonly ServiceName[], options: RecordOptions = {}): Promise<BackgroundServiceRecording> {
    this.assertUsable('record()');
    const list = normalizeServices(services, 'recordBackgroundService()');
    // Named services must work here; with all six, only the matchers that wait for one do.
    if (services !== undefined) await this.require(list, 'recordBackgroundService()');
    for (const key of ['clear', 'showEventsFromOtherDomains'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') {
        throw new BackgroundServicesError(`recordBackgroundService(): option '${key}' must be true or false, got ${describeType(options[key])}.`);
      }
    }
    assertMaxEvents(options.maxEvents, 'recordBackgroundService()');
    const recording = new BackgroundServiceRecording(this.session, this.hub, list, { ...options, maxEvents: options.maxEvents ?? this.options.maxEvents });
    this.recordings.add(recording);
    await recording.begin(options.clear ?? false);
    return recording;
  }

  /**
   * Sends a push message to the page's service worker (DevTools' "Push" button) and resolves
   * once the browser logged "Push event completed", with its status. Rejects as soon as the
   * worker stops before that (Chromium then logs no completion) or the page's renderer crashes.
   *
   * @example
   * const { status } = await services.triggerPush({ title: 'hello' });
   */
  async triggerPush(data: string | object, options?: TriggerPushOptions): Promise<PushOutcome> {
    this.assertUsable('triggerPush()');
    await this.require(['pushMessaging'], 'triggerPush()');
    return this.triggers.push(data, options);
  }

  /**
   * Fires a background sync event (DevTools' "Sync" button) and resolves once the browser
   * logged "Dispatched sync event" (Chromium logs no completion for this kind of dispatch).
   * Rejects at once on a worker taken offline with `setServiceWorkerOffline(true)`: Chromium
   * would drop the event.
   *
   * @example
   * await services.triggerSync('outbox', { lastChance: true });
   */
  async triggerSync(tag: string, options?: TriggerSyncOptions): Promise<SyncOutcome> {
    this.assertUsable('triggerSync()');
    return this.triggers.sync(tag, options);
  }

  /**
   * Fires a periodic sync event (DevTools' "Periodic Sync" button) and resolves once the
   * browser logged its dispatch. Rejects at once on a worker taken offline, like `triggerSync()`.
   *
   * @example
   * await services.triggerPeriodicSync('content-update');
   */
  async triggerPeriodicSync(tag: string, options?: TriggerPeriodicSyncOptions): Promise<PeriodicSyncOutcome> {
    this.assertUsable('triggerPeriodicSync()');
    return this.triggers.periodicSync(tag, options);
  }

  /**
   * The active service worker registration of the page's origin (or of `options`), waiting
   * for it to activate.
   *
   * @example
   * const { scopeURL } = await services.serviceWorkerRegistration({ scope: '/push/' });
   */
  async serviceWorkerRegistration(options: TriggerTarget = {}): Promise<ServiceWorkerRegistrationInfo> {
    this.assertUsable('serviceWorkerRegistration()');
    const timeout = assertTimeout(options.timeout, 'serviceWorkerRegistration()') ?? this.timeout;
    return this.registry.findActive({ origin: options.origin, scope: options.scope, timeout, pageUrl: this.page.url(), call: 'serviceWorkerRegistration()' });
  }

  /**
   * Takes the page's service worker offline (or back online), as DevTools' service worker
   * "Offline" checkbox does: the worker's requests fail as network errors, `navigator.onLine` is
   * false, and a `sync.register()` made while offline waits until it is online again. The page's
   * own requests still go out (take the whole context offline with `context.setOffline(true)`);
   * `navigator.onLine` is shared by the pages in the worker's renderer process, so they read it
   * as false too. `triggerSync()`/`triggerPeriodicSync()` reject while the worker is offline.
   *
   * @example
   * await services.setServiceWorkerOffline(true);
   * await page.getByRole('button', { name: 'Register background sync' }).click();
   * await services.setServiceWorkerOffline(false);
   */
  async setServiceWorkerOffline(offline: boolean, options: TriggerTarget = {}): Promise<void> {
    this.assertUsable('setServiceWorkerOffline()');
    if (typeof offline !== 'boolean') {
      throw new BackgroundServicesError(`setServiceWorkerOffline(): expected true (offline) or false (online), got ${JSON.stringify(offline)}.`);
    }
    await this.require(['serviceWorkerOffline'], 'setServiceWorkerOffline()');
    return this.connectivity.setOffline(offline, options);
  }

  /**
   * The Reporting API as DevTools' pane shows it: reports with their status history, and the
   * endpoints per origin. Starts watching on first use; the browser replays the reports it still
   * has, but forgets each one once delivered: call it before the page loads.
   *
   * @example
   * const reporting = await services.reportingApi();
   * const report = await reporting.awaitReport({ type: 'csp-violation', status: 'Success' });
   */
  async reportingApi(): Promise<ReportingWatcher> {
    this.assertUsable('reportingApi()');
    await this.require(['reportingApi'], 'reportingApi()');
    if (!this.watcher) {
      this.watcher = new ReportingWatcher(this.session);
    }
    await this.watcher.enable();
    return this.watcher;
  }

  /**
   * Everything this controller saw, for attachments and the HTML timeline: every event the
   * browser logged for the observed services, the service worker scopes, the reports.
   *
   * @example
   * await writeFile('timeline.html', renderTimeline(await services.evidence()));
   */
  async evidence(): Promise<Required<Pick<TimelineInput, 'events' | 'scopes' | 'reports' | 'endpoints' | 'droppedEvents'>>> {
    if (!this.disposed && !this.hub.closed) await this.registry.enable().catch(() => {});
    return {
      events: this.hub.events.map(toProtocolEvent),
      droppedEvents: this.hub.dropped,
      scopes: this.registry.scopes(),
      reports: this.watcher?.reports.map((report) => report.toJSON()) ?? [],
      endpoints: this.watcher?.endpoints ?? [],
    };
  }

  /** Fails at once when the browser lacks one of `features` (the probe asks it once). */
  private async require(features: readonly Feature[], call: string): Promise<void> {
    await Promise.all(features.map((feature) => requireFeature(this.probe, feature, call)));
    // Headed, the probe's own windows come up over the test's page, which then counts as a
    // background tab: PaymentRequest.show() refuses to run there.
    if (!(await this.probe.identity()).headless) await this.page.bringToFront();
  }

  private assertUsable(call: string): void {
    if (this.disposed) throw new BackgroundServicesError(`${call}: this BackgroundServices was disposed (its test has ended).`);
    const closed = this.hub.closed;
    if (closed instanceof PageCrashedError) throw new PageCrashedError(closed.pageUrl, `${call}: ${closed.message}`);
    if (closed) throw new TargetClosedError(`${call}: ${closed.message}`);
  }

  /**
   * Stops every recording and detaches the CDP session. Safe to call twice. With
   * `{ contextClosing: true }` (the fixtures, for Playwright's own per-test context) it skips
   * the browser round trips, since the context and everything recorded in it are about to go.
   */
  async dispose(options: { contextClosing?: boolean } = {}): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (options.contextClosing) return;
    await Promise.all([...this.recordings].map((recording) => recording.dispose()));
    await this.connectivity.dispose().catch(() => {});
    await this.hub.dispose().catch(() => {});
    await this.cdp.detach();
  }
}

/**
 * Creates the background-services controller of a page: the plain factory behind the
 * fixtures, for your own fixtures or scripts. Fails clearly on a browser other than Chromium.
 *
 * @example
 * import { test as base } from '@playwright/test';
 * import { createBackgroundServices } from 'playwright-background-services';
 * export const test = base.extend({ services: async ({ page }, use) => {
 *   const services = await createBackgroundServices(page);
 *   await use(services);
 *   await services.dispose();
 * } });
 */
export function createBackgroundServices(page: Page, options?: CreateBackgroundServicesOptions): Promise<BackgroundServices> {
  return BackgroundServices.create(page, options);
}
