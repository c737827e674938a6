import type { Protocol } from 'devtools-protocol';
import { BackgroundServicesError } from '../cdp/errors.js';
import { Emitter } from '../cdp/emitter.js';
import type { PageSession } from '../cdp/session.js';
import { waitFor } from '../cdp/wait.js';
import { originOf } from './filter.js';

/** A service worker registration as the ServiceWorker domain reports it. */
export interface ServiceWorkerRegistrationInfo {
  registrationId: string;
  scopeURL: string;
  origin: string;
  /** The active version's script, when there is one. */
  scriptURL?: string;
}

export interface FindRegistrationOptions {
  /** Origin of the registration; defaults to the page's current origin. */
  origin?: string;
  /** Scope URL, absolute or relative to the origin; picks one registration when there are several. */
  scope?: string;
  timeout: number;
  /** The page's URL, used to pick the registration that controls it. */
  pageUrl: string;
  /** The public call that looks, to lead its errors. */
  call?: string;
}

/**
 * Tracks service worker registrations and versions of one browser context, through the
 * ServiceWorker domain of a page session.
 */
export class ServiceWorkerRegistry {
  private readonly registrations = new Map<string, Protocol.ServiceWorker.ServiceWorkerRegistration>();
  private readonly versions = new Map<string, Protocol.ServiceWorker.ServiceWorkerVersion>();
  private readonly changed = new Emitter();
  private readonly stopped = new Emitter<Protocol.ServiceWorker.ServiceWorkerVersion>();
  private enabled: Promise<void> | undefined;

  constructor(private readonly session: PageSession) {}

  enable(): Promise<void> {
    if (!this.enabled) {
      this.session.cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        for (const registration of registrations) this.registrations.set(registration.registrationId, registration);
        this.changed.emit();
      });
      this.session.cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        const stopped: Protocol.ServiceWorker.ServiceWorkerVersion[] = [];
        for (const version of versions) {
          const before = this.versions.get(version.versionId);
          if (version.runningStatus === 'stopped' && before && before.runningStatus !== 'stopped') stopped.push(version);
          this.versions.set(version.versionId, version);
        }
        this.changed.emit();
        for (const version of stopped) this.stopped.emit(version);
      });
      this.enabled = this.session.cdp.send('ServiceWorker.enable').then(() => undefined);
    }
    return this.enabled;
  }

  private activeVersion(registrationId: string): Protocol.ServiceWorker.ServiceWorkerVersion | undefined {
    return [...this.versions.values()].find((v) => v.registrationId === registrationId && v.status === 'activated');
  }

  /**
   * Starts the registration's worker if it is stopped and resolves with its target id once it
   * runs (DevTools' emulation only takes hold on a running worker).
   */
  async runningTarget(registration: ServiceWorkerRegistrationInfo, timeout: number): Promise<string> {
    await this.enable();
    const running = () =>
      [...this.versions.values()].find(
        (v) => v.registrationId === registration.registrationId && v.status === 'activated' && v.runningStatus === 'running' && v.targetId,
      )?.targetId;
    if (!running()) await this.session.cdp.send('ServiceWorker.startWorker', { scopeURL: registration.scopeURL });
    return waitFor({
      check: running,
      subscribe: (onChange) => this.changed.on(onChange),
      subscribeAbort: (onAbort) => this.session.onAbort(onAbort),
      timeout,
      timeoutMessage: () =>
        `The service worker at ${registration.scopeURL} did not start within ${timeout}ms. Registrations seen: ${this.describe()}.`,
    });
  }

  /** Calls back each time a running (or starting) version of the registration stops. */
  onWorkerStopped(registrationId: string, listener: (version: Protocol.ServiceWorker.ServiceWorkerVersion) => void): () => void {
    return this.stopped.on((version) => {
      if (version.registrationId === registrationId) listener(version);
    });
  }

  /** Scope URL per registration id, for what has been seen so far. */
  scopes(): Record<string, string> {
    return Object.fromEntries([...this.registrations.values()].map((r) => [r.registrationId, r.scopeURL]));
  }

  /** Registrations that are not deleted, with the state of their newest version. */
  describe(): string {
    const live = [...this.registrations.values()].filter((r) => !r.isDeleted);
    if (live.length === 0) return 'none';
    return live
      .map((registration) => {
        const versions = [...this.versions.values()].filter((v) => v.registrationId === registration.registrationId);
        const newest = versions.at(-1);
        const state = newest ? `${newest.status}, ${newest.runningStatus}` : 'no version yet';
        return `${registration.scopeURL} (id ${registration.registrationId}, ${state})`;
      })
      .join('; ');
  }

  /**
   * Waits until a registration of the origin (and scope, if given) has an activated worker.
   * With several registrations and no scope, the one whose scope controls the page wins.
   */
  async findActive(options: FindRegistrationOptions): Promise<ServiceWorkerRegistrationInfo> {
    const where = options.call ?? 'service worker lookup';
    const origin = options.origin ?? originOf(options.pageUrl);
    if (!origin) {
      throw new BackgroundServicesError(
        `${where}: the page is at ${JSON.stringify(options.pageUrl)}, which has no origin. ` +
          `Navigate to the page that registers the service worker first (page.goto), or pass { origin }.`,
      );
    }
    const scope = options.scope === undefined ? undefined : new URL(options.scope, `${origin}/`).href;
    await this.enable();
    const pick = (): ServiceWorkerRegistrationInfo | undefined => {
      const candidates = [...this.registrations.values()].filter(
        (r) => !r.isDeleted && originOf(r.scopeURL) === origin && (scope === undefined || r.scopeURL === scope),
      );
      const active = candidates.filter((r) => this.activeVersion(r.registrationId));
      if (active.length === 0) return undefined;
      const controlling = active
        .filter((r) => options.pageUrl.startsWith(r.scopeURL))
        .sort((a, b) => b.scopeURL.length - a.scopeURL.length);
      if (active.length > 1 && controlling.length === 0) {
        throw new BackgroundServicesError(
          `${where}: ${active.length} service worker registrations for ${origin} and none controls the page: ` +
            `${active.map((r) => r.scopeURL).join(', ')}. Pass { scope } to choose one.`,
        );
      }
      const chosen = controlling[0] ?? active[0]!;
      return {
        registrationId: chosen.registrationId,
        scopeURL: chosen.scopeURL,
        origin,
        scriptURL: this.activeVersion(chosen.registrationId)?.scriptURL,
      };
    };
    return waitFor({
      check: pick,
      subscribe: (onChange) => this.changed.on(onChange),
      subscribeAbort: (onAbort) => this.session.onAbort(onAbort),
      timeout: options.timeout,
      timeoutMessage: () =>
        `${where}: no active service worker registration for origin ${origin}${scope ? ` and scope ${scope}` : ''} ` +
        `within ${options.timeout}ms. Registrations seen: ${this.describe()}. ` +
        `Make sure the page calls navigator.serviceWorker.register() and that the worker installs without error ` +
        `(the page is at ${options.pageUrl}).`,
    });
  }
}
