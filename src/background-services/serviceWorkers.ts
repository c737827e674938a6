import type { Protocol } from 'devtools-protocol';
import { BackgroundServicesError } from '../cdp/errors.js';
import { Emitter } from '../cdp/emitter.js';
import type { PageSession } from '../cdp/session.js';
import { waitFor } from '../cdp/wait.js';
import { originOf } from './filter.js';

export interface ServiceWorkerRegistrationInfo {
  registrationId: string;
  scopeURL: string;
  origin: string;
  /** The active version's script, when there is one. */
  scriptURL?: string;
}

/** One step of a version's lifecycle, with when it was reported (ms since the epoch). */
export interface ServiceWorkerVersionStep {
  status: ServiceWorkerVersionInfo['status'];
  runningStatus: ServiceWorkerVersionInfo['runningStatus'];
  at: number;
}

/** A version as the pane shows it; `history` is its `status/runningStatus` steps. */
export interface ServiceWorkerVersionInfo {
  versionId: string;
  registrationId: string;
  scopeURL: string;
  scriptURL: string;
  status: 'new' | 'installing' | 'installed' | 'activating' | 'activated' | 'redundant';
  runningStatus: 'stopped' | 'starting' | 'running' | 'stopping';
  errors: string[];
  history: string[];
}

/** One line per version: its scope, script and lifecycle (`installing/starting → installed/running`). */
export function formatVersions(versions: readonly ServiceWorkerVersionInfo[]): string {
  if (versions.length === 0) return 'Service worker versions: none seen';
  return [
    `Service worker versions (${versions.length}):`,
    ...versions.map(
      (v) => `  #${v.versionId}  ${v.scopeURL}  ${v.scriptURL}  ${v.history.join(' → ')}` + (v.errors.length ? `  errors: ${v.errors.join('; ')}` : ''),
    ),
  ].join('\n');
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
 * How long a registration that ended (failed to install, or was unregistered) must stay the last
 * word before a wait for an active one fails: a page that retries registers again within tens of
 * milliseconds (measured: 40 ms), and Chromium reports an install handler's rejection just after
 * the version turned redundant.
 */
const ENDED_REGISTRATION_SETTLE_MS = 1000;

const FAILED_TO_REGISTER = /^Failed to register a ServiceWorker for scope \('[^']*'\) with script \('[^']*'\): ?/;

/**
 * Tracks service worker registrations and versions of one browser context, through the
 * ServiceWorker domain of a page session.
 */
export class ServiceWorkerRegistry {
  private readonly registrations = new Map<string, Protocol.ServiceWorker.ServiceWorkerRegistration>();
  private readonly versions = new Map<string, Protocol.ServiceWorker.ServiceWorkerVersion>();
  private readonly changed = new Emitter();
  private readonly stopped = new Emitter<Protocol.ServiceWorker.ServiceWorkerVersion>();
  /** Versions ever seen activated, when each version first turned redundant, when each registration was deleted. */
  private readonly activated = new Set<string>();
  private readonly redundantAt = new Map<string, number>();
  private readonly deletedAt = new Map<string, number>();
  /** `ServiceWorker.workerErrorReported` per version id: what a failed install says. */
  private readonly errors = new Map<string, Protocol.ServiceWorker.ServiceWorkerErrorMessage[]>();
  /** Each version's (status, running status) as they changed, for the pane and the evidence. */
  private readonly history = new Map<string, ServiceWorkerVersionStep[]>();
  private recheck: { at: number; timer: ReturnType<typeof setTimeout> } | undefined;
  private enabled: Promise<void> | undefined;
  private markReported!: () => void;
  /** Settles on the first `workerVersionUpdated`: the context's versions as they were at enable, after the registrations. */
  readonly reported = new Promise<void>((resolve) => (this.markReported = resolve));

  constructor(private readonly session: PageSession) {}

  enable(): Promise<void> {
    if (!this.enabled) {
      this.session.cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        for (const registration of registrations) {
          this.registrations.set(registration.registrationId, registration);
          // register() on a scope whose registration is still uninstalling (a client stays controlled) revives it, same id.
          if (!registration.isDeleted) this.deletedAt.delete(registration.registrationId);
          else if (!this.deletedAt.has(registration.registrationId)) this.deletedAt.set(registration.registrationId, Date.now());
        }
        this.changed.emit();
      });
      this.session.cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        const stopped: Protocol.ServiceWorker.ServiceWorkerVersion[] = [];
        for (const version of versions) {
          const before = this.versions.get(version.versionId);
          if (version.runningStatus === 'stopped' && before && before.runningStatus !== 'stopped') stopped.push(version);
          this.versions.set(version.versionId, version);
          const steps = this.history.get(version.versionId) ?? [];
          const last = steps.at(-1);
          if (last?.status !== version.status || last.runningStatus !== version.runningStatus) {
            steps.push({ status: version.status, runningStatus: version.runningStatus, at: Date.now() });
            this.history.set(version.versionId, steps);
          }
          if (version.status === 'activated') this.activated.add(version.versionId);
          if (version.status === 'redundant' && !this.redundantAt.has(version.versionId)) this.redundantAt.set(version.versionId, Date.now());
        }
        this.markReported();
        this.changed.emit();
        for (const version of stopped) this.stopped.emit(version);
      });
      this.session.cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }) => {
        const list = this.errors.get(errorMessage.versionId) ?? [];
        list.push(errorMessage);
        this.errors.set(errorMessage.versionId, list);
        this.changed.emit();
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
      onAbort: (listener) => this.session.onAbort(listener),
      timeout,
      timeoutMessage: () => `The service worker at ${registration.scopeURL} did not start within ${timeout}ms. Registrations seen: ${this.describe()}.`,
    });
  }

  /** Calls back each time a running (or starting) version of the registration stops. */
  onWorkerStopped(registrationId: string, listener: (version: Protocol.ServiceWorker.ServiceWorkerVersion) => void): () => void {
    return this.stopped.on((version) => {
      if (version.registrationId === registrationId) listener(version);
    });
  }

  /** Calls back on every ServiceWorker domain event; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    return this.changed.on(listener);
  }

  /** Every version seen, oldest first, with its lifecycle and the errors Chromium reported. */
  versionList(): ServiceWorkerVersionInfo[] {
    return [...this.versions.values()].map((v) => ({
      versionId: v.versionId,
      registrationId: v.registrationId,
      scopeURL: this.registrations.get(v.registrationId)?.scopeURL ?? '',
      scriptURL: v.scriptURL,
      status: v.status,
      runningStatus: v.runningStatus,
      errors: this.reportedErrors(v.versionId),
      history: (this.history.get(v.versionId) ?? []).map((h) => `${h.status}/${h.runningStatus}`),
    }));
  }

  /** Each version's lifecycle with the times, for the evidence. */
  lifecycles(): Array<{ versionId: string; scopeURL: string; scriptURL: string; errors: string[]; steps: ServiceWorkerVersionStep[] }> {
    return this.versionList().map((v) => ({
      versionId: v.versionId,
      scopeURL: v.scopeURL,
      scriptURL: v.scriptURL,
      errors: v.errors,
      steps: [...(this.history.get(v.versionId) ?? [])],
    }));
  }

  /** The registration as Chromium last reported it. */
  registration(registrationId: string): Protocol.ServiceWorker.ServiceWorkerRegistration | undefined {
    return this.registrations.get(registrationId);
  }

  versionsOf(registrationId: string): Protocol.ServiceWorker.ServiceWorkerVersion[] {
    return [...this.versions.values()].filter((v) => v.registrationId === registrationId);
  }

  /** Whether the registration was unregistered (Chromium reports it deleted). */
  isDeleted(registrationId: string): boolean {
    return this.registrations.get(registrationId)?.isDeleted === true;
  }

  /**
   * Why Chromium can log no further event for an unregistered registration, or `undefined` while
   * it still can: an event already dispatched is logged as completed once its handler settles,
   * unless the worker stopped (Chromium logs no completion for an event its stopped worker
   * dropped), and a dispatch that reaches an unregistered registration is dropped unlogged.
   */
  unregisteredReason(registrationId: string, dispatched: boolean): string | undefined {
    if (!this.isDeleted(registrationId)) return undefined;
    const versions = this.versionsOf(registrationId);
    if (!versions.some((v) => v.runningStatus === 'running' || v.runningStatus === 'starting')) {
      return 'and its worker stopped, so Chromium will log nothing more for it';
    }
    if (!dispatched && !versions.some((v) => v.runningStatus === 'starting')) {
      return 'before the event reached it: Chromium drops an event dispatched to an unregistered service worker and logs nothing';
    }
    return undefined;
  }

  /** A registration that can no longer become active: deleted, or all its versions redundant. */
  private endedAt(registrationId: string): number | undefined {
    const deleted = this.deletedAt.get(registrationId);
    if (deleted !== undefined) return deleted;
    const versions = this.versionsOf(registrationId);
    if (versions.length === 0 || !versions.every((v) => v.status === 'redundant')) return undefined;
    return Math.max(...versions.map((v) => this.redundantAt.get(v.versionId) ?? 0));
  }

  /** What Chromium reported about a version that failed, once per message and place: its verdict first, then the script's errors. */
  reportedErrors(versionId: string): string[] {
    const reported = (this.errors.get(versionId) ?? []).map((e) => {
      const text = e.errorMessage.replace(FAILED_TO_REGISTER, '');
      const verdict = text !== e.errorMessage;
      return { verdict, text: text && e.sourceURL ? `${text} at ${e.sourceURL}${e.lineNumber > 0 ? `:${e.lineNumber}` : ''}` : text };
    });
    // The verdict and the script's exception come through different pipes, in either order (measured: 1 run in 25).
    const ordered = [...reported.filter((r) => r.verdict), ...reported.filter((r) => !r.verdict)];
    return [...new Set(ordered.map((r) => r.text).filter((text) => text !== ''))];
  }

  private endedError(call: string, registration: Protocol.ServiceWorker.ServiceWorkerRegistration, origin: string): BackgroundServicesError {
    // A failed install is told by what Chromium reported: it deletes the registration too, as unregister() does.
    const failed = this.versionsOf(registration.registrationId)
      .filter((v) => v.status === 'redundant' && !this.activated.has(v.versionId))
      .map((v) => ({ version: v, errors: this.reportedErrors(v.versionId) }))
      .filter((f) => f.errors.length > 0 || !registration.isDeleted)
      .at(-1);
    if (!failed) {
      return new BackgroundServicesError(
        `${call}: the service worker registration for ${registration.scopeURL} (id ${registration.registrationId}) was unregistered ` +
          `(registration.unregister(), or DevTools' Unregister), and no other registration of ${origin} is being installed. ` +
          `Let the page register its service worker again (reload it) before this call.`,
      );
    }
    return new BackgroundServicesError(
      `${call}: the service worker ${failed.version.scriptURL} failed to install (registration ${registration.registrationId}, scope ${registration.scopeURL}), so it never became active. ` +
        (failed.errors.length ? `Chromium reported: ${failed.errors.join('; ')}. ` : 'Chromium reported no error text. ') +
        `Fix the script: its top-level code and its install handler (event.waitUntil) must not throw or reject.`,
    );
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
    const call = options.call ?? 'service worker lookup';
    const origin = options.origin ?? originOf(options.pageUrl);
    if (!origin) {
      throw new BackgroundServicesError(
        `${call}: the page is at ${JSON.stringify(options.pageUrl)}, which has no origin. ` +
          `Navigate to the page that registers the service worker first (page.goto), or pass { origin }.`,
      );
    }
    const scope = options.scope === undefined ? undefined : new URL(options.scope, `${origin}/`).href;
    await this.enable();
    const started = Date.now();
    const pick = (): ServiceWorkerRegistrationInfo | undefined => {
      const matching = this.registrationsFor(origin, scope);
      const candidates = matching.filter((r) => !r.isDeleted);
      const active = candidates.filter((r) => this.activeVersion(r.registrationId));
      if (active.length === 0) {
        this.failIfAllEnded(call, origin, matching, started);
        return undefined;
      }
      const controlling = active.filter((r) => options.pageUrl.startsWith(r.scopeURL)).sort((a, b) => b.scopeURL.length - a.scopeURL.length);
      if (active.length > 1 && controlling.length === 0) {
        throw new BackgroundServicesError(
          `${call}: ${active.length} service worker registrations for ${origin} and none controls the page: ` +
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
      onAbort: (listener) => this.session.onAbort(listener),
      timeout: options.timeout,
      timeoutMessage: () =>
        `${call}: no active service worker registration for origin ${origin}${scope ? ` and scope ${scope}` : ''} ` +
        `within ${options.timeout}ms. Registrations seen: ${this.describe()}. ` +
        `Make sure the page calls navigator.serviceWorker.register() and that the worker installs without error ` +
        `(the page is at ${options.pageUrl}).` +
        (this.neverStarted(origin, scope)
          ? ' A worker that stays "new" and never starts usually means its script could not be fetched (a 404 or a network error: register() rejects in the page, and Chromium reports nothing to DevTools).'
          : ''),
    });
  }

  /**
   * Throws when every registration the wait could use has ended (failed to install or was
   * unregistered) and nothing new started for ENDED_REGISTRATION_SETTLE_MS; until then it
   * schedules a re-check, since nothing else would wake the wait.
   */
  private failIfAllEnded(call: string, origin: string, matching: Protocol.ServiceWorker.ServiceWorkerRegistration[], started: number): void {
    if (matching.length === 0) return;
    const ends = matching.map((r) => ({ registration: r, at: this.endedAt(r.registrationId) }));
    if (ends.some((e) => e.at === undefined)) return;
    const last = ends.reduce((a, b) => (b.at! >= a.at! ? b : a));
    const settled = Math.max(last.at!, started) + ENDED_REGISTRATION_SETTLE_MS;
    const left = settled - Date.now();
    if (left <= 0) throw this.endedError(call, last.registration, origin);
    // One timer, the earliest: when it fires, each wait re-checks and asks again for its own.
    if (this.recheck && this.recheck.at <= settled) return;
    if (this.recheck) clearTimeout(this.recheck.timer);
    const timer = setTimeout(() => {
      this.recheck = undefined;
      this.changed.emit();
    }, left);
    timer.unref?.();
    this.recheck = { at: settled, timer };
  }

  /** The registrations (deleted ones too) of the origin, and of the scope when one is given. */
  private registrationsFor(origin: string, scope: string | undefined): Protocol.ServiceWorker.ServiceWorkerRegistration[] {
    return [...this.registrations.values()].filter((r) => originOf(r.scopeURL) === origin && (scope === undefined || r.scopeURL === scope));
  }

  private neverStarted(origin: string, scope: string | undefined): boolean {
    return this.registrationsFor(origin, scope).some((r) => {
      const versions = this.versionsOf(r.registrationId);
      return !r.isDeleted && versions.length > 0 && versions.every((v) => v.status === 'new' && v.runningStatus === 'stopped');
    });
  }
}
