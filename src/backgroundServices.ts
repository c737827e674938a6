import type { Page } from '@playwright/test';
import { openPageSession, type Cdp } from './cdp/cdp.js';
import type { PageSession } from './cdp/session.js';
import { BackgroundServicesError, PageCrashedError, TargetClosedError } from './cdp/errors.js';
import { EventHub } from './background-services/hub.js';
import { grantPermissions, type PermissionType } from './background-services/permissions.js';
import { assertMaxEvents, BackgroundServiceRecording, type RecordOptions } from './background-services/recording.js';
import { normalizeServices, type ServiceName } from './background-services/services.js';
import { ServiceWorkerRegistry, type ServiceWorkerRegistrationInfo } from './background-services/serviceWorkers.js';
import { registerServiceWorkerWatch } from './background-services/serviceWorkerWatch.js';
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
import { ServiceWorkerPaneControls, type ServiceWorkerPane } from './background-services/serviceWorkerPane.js';
import { ReportingWatcher } from './reporting/watcher.js';
import type { TimelineInput } from './evidence/timeline.js';
import { describeType, toProtocolEvent } from './background-services/events.js';
import { originOf } from './background-services/filter.js';
import { isFeature, probeFor, type Feature, type SupportProbe } from './support/probe.js';
import { requireFeature, unsupportedFeature } from './support/require.js';

export interface CreateBackgroundServicesOptions {
  /** Of every wait, in ms (0: no limit). Default 5000. */
  timeout?: number;
  /** Default true. */
  grantPermissions?: boolean;
  /** More to grant (Playwright or CDP names). */
  permissions?: readonly string[];
  /** Per recording, oldest dropped first. Default: no limit. */
  maxEvents?: number;
}

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

/** A page's background services, through one CDP session. */
export class BackgroundServices {
  readonly #recordings = new Set<BackgroundServiceRecording>();
  readonly #registry: ServiceWorkerRegistry;
  readonly #connectivity: ServiceWorkerConnectivity;
  readonly #triggers: ServiceWorkerTriggers;
  // What every feature of this page receives (cdp/session.ts).
  readonly #session: PageSession;
  #disposed = false;
  readonly #cleanups: Array<() => void> = [];
  #watcher: ReportingWatcher | undefined;
  readonly #probe: SupportProbe;
  readonly timeout: number;
  /** DevTools' Service Workers pane. */
  readonly serviceWorkerPane: ServiceWorkerPane;
  readonly #cdp: Cdp;
  readonly #hub: EventHub;
  readonly #options: CreateBackgroundServicesOptions;

  private constructor(
    readonly page: Page,
    cdp: Cdp,
    hub: EventHub,
    options: CreateBackgroundServicesOptions,
    probe: SupportProbe,
  ) {
    this.#cdp = cdp;
    this.#hub = hub;
    this.#options = options;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.#probe = probe;
    this.#session = {
      cdp,
      page,
      timeout: () => this.timeout,
      pageUrl: () => page.url(),
      currentOrigin: () => originOf(page.url()),
      onAbort: (listener) => hub.onAbort(listener),
      describeBrowser: () => cdp.describeBrowser(),
      unsupportedService: (service, call) => (isFeature(service) ? unsupportedFeature(this.#probe, service, call) : Promise.resolve(undefined)),
    };
    this.#registry = new ServiceWorkerRegistry(this.#session);
    this.#connectivity = new ServiceWorkerConnectivity(this.#session, this.#registry);
    this.#triggers = new ServiceWorkerTriggers(this.#session, hub, this.#registry, this.#connectivity);
    this.serviceWorkerPane = new ServiceWorkerPaneControls(this.#session, this.#registry, (call) => this.#assertUsable(call));
  }

  /** @internal Use `createBackgroundServices()`; the fixtures pass their probe. */
  static async create(page: Page, options: CreateBackgroundServicesOptions = {}, probe?: SupportProbe): Promise<BackgroundServices> {
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
    const services = new BackgroundServices(page, cdp, hub, options, probe ?? probeFor(page));
    services.#cleanups.push(
      () => page.off('close', onClose),
      () => page.off('crash', onCrash),
      offCrash,
    );
    // From the start: Chromium reports a worker's errors (why its install failed) once, never on a
    // later enable. Not awaited: the session answers its commands in order, so what follows waits anyway.
    services.#registry.enable().catch(() => {});
    const registry = services.#registry;
    // The latest controller of a page is the one its matchers watch.
    services.#cleanups.push(
      registerServiceWorkerWatch(page, {
        versions: () => registry.versionList(),
        subscribe: (l) => registry.subscribe(l),
        onAbort: (l) => hub.onAbort(l),
        reported: registry.reported,
      }),
    );
    if (options.grantPermissions ?? true) await services.grantPermissions(options.permissions);
    return services;
  }

  /**
   * Grants the services' permissions, the `permissions` option's and `extra`.
   * @example
   * await services.grantPermissions(['geolocation']);
   */
  async grantPermissions(extra: readonly string[] = []): Promise<PermissionType[]> {
    return grantPermissions(this.#cdp, [...(this.#options.permissions ?? []), ...extra], this.page.context());
  }

  /**
   * DevTools' Record button (all six services when omitted).
   * @example
   * const recording = await services.record('pushMessaging');
   */
  async record(services?: ServiceName | readonly ServiceName[], options: RecordOptions = {}): Promise<BackgroundServiceRecording> {
    this.#assertUsable('record()');
    const list = normalizeServices(services, 'recordBackgroundService()');
    // Named services must work here; with all six, only the matchers that wait for one do.
    if (services !== undefined) await this.#require(list, 'recordBackgroundService()');
    for (const key of ['clear', 'showEventsFromOtherDomains'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') {
        throw new BackgroundServicesError(`recordBackgroundService(): option '${key}' must be true or false, got ${describeType(options[key])}.`);
      }
    }
    assertMaxEvents(options.maxEvents, 'recordBackgroundService()');
    const recording = new BackgroundServiceRecording(this.#session, this.#hub, list, { ...options, maxEvents: options.maxEvents ?? this.#options.maxEvents });
    this.#recordings.add(recording);
    await recording.begin(options.clear ?? false);
    return recording;
  }

  /**
   * Sends a push message; resolves on "Push event completed".
   * @example
   * const { status } = await services.triggerPush('hello');
   */
  async triggerPush(data: string | object, options?: TriggerPushOptions): Promise<PushOutcome> {
    this.#assertUsable('triggerPush()');
    await this.#require(['pushMessaging'], 'triggerPush()');
    return this.#triggers.push(data, options);
  }

  /**
   * Fires a sync event; resolves on its dispatch.
   * @example
   * await services.triggerSync('outbox');
   */
  async triggerSync(tag: string, options?: TriggerSyncOptions): Promise<SyncOutcome> {
    this.#assertUsable('triggerSync()');
    return this.#triggers.sync(tag, options);
  }

  /**
   * Like `triggerSync()`, for a periodic sync event.
   * @example
   * await services.triggerPeriodicSync('content-update');
   */
  async triggerPeriodicSync(tag: string, options?: TriggerPeriodicSyncOptions): Promise<PeriodicSyncOutcome> {
    this.#assertUsable('triggerPeriodicSync()');
    return this.#triggers.periodicSync(tag, options);
  }

  /**
   * Resolves with the page's service worker registration once active.
   * @example
   * const { scopeURL } = await services.serviceWorkerRegistration();
   */
  async serviceWorkerRegistration(options: TriggerTarget = {}): Promise<ServiceWorkerRegistrationInfo> {
    this.#assertUsable('serviceWorkerRegistration()');
    const timeout = assertTimeout(options.timeout, 'serviceWorkerRegistration()') ?? this.timeout;
    return this.#registry.findActive({ origin: options.origin, scope: options.scope, timeout, pageUrl: this.page.url(), call: 'serviceWorkerRegistration()' });
  }

  /**
   * Takes the page's worker offline or back online.
   * @example
   * await services.setServiceWorkerOffline(true);
   */
  async setServiceWorkerOffline(offline: boolean, options: TriggerTarget = {}): Promise<void> {
    this.#assertUsable('setServiceWorkerOffline()');
    if (typeof offline !== 'boolean') {
      throw new BackgroundServicesError(`setServiceWorkerOffline(): expected true (offline) or false (online), got ${JSON.stringify(offline)}.`);
    }
    await this.#require(['serviceWorkerOffline'], 'setServiceWorkerOffline()');
    return this.#connectivity.setOffline(offline, options);
  }

  /**
   * The page's Reporting API watcher. Call it before the page loads.
   * @example
   * const reporting = await services.reportingApi();
   */
  async reportingApi(): Promise<ReportingWatcher> {
    this.#assertUsable('reportingApi()');
    await this.#require(['reportingApi'], 'reportingApi()');
    if (!this.#watcher) {
      this.#watcher = new ReportingWatcher(this.#session);
    }
    await this.#watcher.enable();
    return this.#watcher;
  }

  /**
   * What this controller saw, for `renderTimeline()`.
   * @example
   * const html = renderTimeline(await services.evidence());
   */
  async evidence(): Promise<Required<Pick<TimelineInput, 'events' | 'scopes' | 'reports' | 'endpoints' | 'droppedEvents'>>> {
    if (!this.#disposed && !this.#hub.closed) await this.#registry.enable().catch(() => {});
    return {
      events: this.#hub.events.map(toProtocolEvent),
      droppedEvents: this.#hub.dropped,
      scopes: this.#registry.scopes(),
      reports: this.#watcher?.reports.map((report) => report.toJSON()) ?? [],
      endpoints: this.#watcher?.endpoints ?? [],
    };
  }

  // Fails at once when the browser lacks one of `features` (the probe asks it once).
  async #require(features: readonly Feature[], call: string): Promise<void> {
    await Promise.all(features.map((feature) => requireFeature(this.#probe, feature, call)));
    // Headed, the probe's own windows come up over the test's page, which then counts as a
    // background tab: PaymentRequest.show() refuses to run there.
    if (!(await this.#probe.version()).headless) await this.page.bringToFront();
  }

  #assertUsable(call: string): void {
    if (this.#disposed) throw new BackgroundServicesError(`${call}: this BackgroundServices was disposed (its test has ended).`);
    const closed = this.#hub.closed;
    if (closed instanceof PageCrashedError) throw new PageCrashedError(closed.pageUrl, `${call}: ${closed.message}`);
    if (closed) throw new TargetClosedError(`${call}: ${closed.message}`);
  }

  /** Stops every recording and detaches; safe to call twice. */
  async dispose(options: { contextClosing?: boolean } = {}): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (options.contextClosing) return;
    await Promise.all([...this.#recordings].map((recording) => recording.dispose()));
    await this.#connectivity.dispose().catch(() => {});
    await this.#hub.dispose().catch(() => {});
    await this.#cdp.detach();
  }
}

/**
 * Creates a page's controller (Chromium only), as the fixtures do.
 * @example
 * const services = await createBackgroundServices(page, { timeout: 10_000 });
 */
export function createBackgroundServices(page: Page, options?: CreateBackgroundServicesOptions): Promise<BackgroundServices> {
  return BackgroundServices.create(page, options);
}
