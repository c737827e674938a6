import { BackgroundServicesTimeoutError, BackgroundServicesError } from '../cdp/errors.js';
import type { PageSession } from '../cdp/session.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';
import type { TriggerTarget } from './triggers.js';
import type { ServiceWorkerRegistrationInfo, ServiceWorkerRegistry, ServiceWorkerVersionInfo } from './serviceWorkers.js';

/** What `update()` resolves with; `version` is the new one. */
export interface ServiceWorkerUpdate {
  outcome: 'waiting' | 'activated' | 'no-update';
  registration: ServiceWorkerRegistrationInfo;
  version?: ServiceWorkerVersionInfo;
}

/** DevTools' Service Workers pane (docs/service-workers.md). */
export interface ServiceWorkerPane {
  /** `'no-update'` when the script is byte-identical. */
  update(options?: TriggerTarget): Promise<ServiceWorkerUpdate>;
  skipWaiting(options?: TriggerTarget): Promise<ServiceWorkerVersionInfo>;
  start(options?: TriggerTarget): Promise<ServiceWorkerVersionInfo>;
  stop(options?: TriggerTarget): Promise<void>;
  stopAll(options?: { timeout?: number }): Promise<void>;
  unregister(options?: TriggerTarget): Promise<void>;
  setUpdateOnReload(on: boolean): Promise<void>;
  setBypassForNetwork(on: boolean): Promise<void>;
  /** Each version seen, with its lifecycle and errors. */
  versions(): ServiceWorkerVersionInfo[];
}

const ENDED = new Set(['activated', 'redundant']);

function describeVersions(versions: readonly ServiceWorkerVersionInfo[]): string {
  if (versions.length === 0) return 'none';
  return versions.map((v) => `#${v.versionId} ${v.status}, ${v.runningStatus}${v.errors.length ? ` (errors: ${v.errors.join('; ')})` : ''}`).join('; ');
}

/** The pane for one page controller, on its registry. */
export class ServiceWorkerPaneControls implements ServiceWorkerPane {
  constructor(
    private readonly session: PageSession,
    private readonly registry: ServiceWorkerRegistry,
    private readonly assertUsable: (call: string) => void,
  ) {}

  private async target(call: string, options: TriggerTarget = {}): Promise<{ registration: ServiceWorkerRegistrationInfo; timeout: number; deadline: number }> {
    this.assertUsable(call);
    if (typeof options !== 'object' || options === null) {
      throw new BackgroundServicesError(`${call}: options must be an object such as { scope: '/app/', timeout: 5000 }, got ${JSON.stringify(options)}.`);
    }
    const timeout = assertTimeout(options.timeout, call) ?? this.session.timeout();
    const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
    const registration = await this.registry.findActive({ origin: options.origin, scope: options.scope, timeout, pageUrl: this.session.pageUrl(), call });
    return { registration, timeout, deadline };
  }

  private left(deadline: number): number {
    return deadline === Infinity ? 0 : Math.max(1, deadline - Date.now());
  }

  private of(registrationId: string): ServiceWorkerVersionInfo[] {
    return this.registry.versionList().filter((v) => v.registrationId === registrationId);
  }

  /** Waits for `check` on the registry's events; on timeout says what was seen of the registration. */
  private until<T>(
    call: string,
    registration: ServiceWorkerRegistrationInfo,
    deadline: number,
    timeout: number,
    what: string,
    check: () => T | undefined,
  ): Promise<T> {
    return waitFor({
      check,
      subscribe: (onChange) => this.registry.subscribe(onChange),
      onAbort: (listener) => this.session.onAbort(listener),
      timeout: this.left(deadline),
      timeoutMessage: () =>
        `${call}: ${what} within ${timeout}ms at ${registration.scopeURL} (registration ${registration.registrationId}). ` +
        `Versions seen: ${describeVersions(this.of(registration.registrationId))}.`,
    });
  }

  async update(options: TriggerTarget = {}): Promise<ServiceWorkerUpdate> {
    const call = 'serviceWorkerPane.update()';
    const { registration, timeout, deadline } = await this.target(call, options);
    const before = new Set(this.of(registration.registrationId).map((v) => v.versionId));
    const pageOrigin = this.session.currentOrigin();
    // Chromium reports nothing when the script is byte-identical: the page's own update() settles
    // when the update job does (Chromium joins it to DevTools' job while that one runs, or checks
    // the same bytes again after it), and then tells whether the newest worker is a new one.
    const handle =
      pageOrigin === registration.origin
        ? await this.session.page.evaluateHandle(async (scope) => {
            const found = await navigator.serviceWorker.getRegistration(scope);
            return { found, before: found ? [found.installing, found.waiting, found.active] : [] };
          }, registration.scopeURL)
        : undefined;
    try {
      await this.session.cdp.send('ServiceWorker.updateRegistration', { scopeURL: registration.scopeURL });
      const changed = handle
        ? await Promise.race([
            handle.evaluate(async ({ found, before }) => {
              if (!found) return true;
              await found.update();
              return !before.includes(found.installing ?? found.waiting ?? found.active);
            }),
            new Promise<never>((_, reject) => {
              if (deadline === Infinity) return;
              setTimeout(
                () =>
                  reject(
                    new BackgroundServicesTimeoutError(
                      `${call}: the update check of ${registration.scopeURL} did not finish within ${timeout}ms. ` +
                        `Versions seen: ${describeVersions(this.of(registration.registrationId))}.`,
                    ),
                  ),
                this.left(deadline),
              ).unref?.();
            }),
          ])
        : true;
      if (!changed) return { outcome: 'no-update', registration };
    } finally {
      void handle?.dispose().catch(() => {});
    }
    const newVersion = () => this.of(registration.registrationId).find((v) => !before.has(v.versionId));
    const settled = () => {
      const version = newVersion();
      if (!version) return undefined;
      if (version.status === 'redundant') {
        throw new BackgroundServicesError(
          `${call}: the new version #${version.versionId} of ${version.scriptURL} failed to install` +
            (version.errors.length ? `: Chromium reported ${version.errors.join('; ')}` : ' (Chromium reported no error text)') +
            `. Fix the script: its top-level code and its install handler must not throw or reject.`,
        );
      }
      return version.status === 'installed' || ENDED.has(version.status) ? version : undefined;
    };
    const what =
      pageOrigin === registration.origin
        ? 'the new version did not finish installing'
        : `no new version finished installing (the page is not on ${registration.origin}, so "no update" cannot be told)`;
    let version = await this.until(call, registration, deadline, timeout, what, settled);
    if (version.status === 'installed') {
      // A worker that called skipWaiting() during install is activated in the same browser task:
      // one round trip lets that status arrive before the version is called waiting.
      await this.session.cdp.send('Browser.getVersion');
      version = settled() ?? version;
    }
    if (version.status === 'installed') return { outcome: 'waiting', registration, version };
    version = await this.until(call, registration, deadline, timeout, 'the new version did not reach "activated"', () => {
      const v = settled();
      return v?.status === 'activated' ? v : undefined;
    });
    return { outcome: 'activated', registration, version };
  }

  async skipWaiting(options: TriggerTarget = {}): Promise<ServiceWorkerVersionInfo> {
    const call = 'serviceWorkerPane.skipWaiting()';
    const { registration, timeout, deadline } = await this.target(call, options);
    const waiting = this.of(registration.registrationId)
      .filter((v) => v.status === 'installed')
      .at(-1);
    if (!waiting) {
      throw new BackgroundServicesError(
        `${call}: no waiting version at ${registration.scopeURL} (registration ${registration.registrationId}); versions seen: ${describeVersions(this.of(registration.registrationId))}. ` +
          `Serve a new script and call update() first (it resolves with { outcome: 'waiting' }).`,
      );
    }
    await this.session.cdp.send('ServiceWorker.skipWaiting', { scopeURL: registration.scopeURL });
    return this.until(call, registration, deadline, timeout, `the waiting version #${waiting.versionId} was not activated`, () => {
      const version = this.of(registration.registrationId).find((v) => v.versionId === waiting.versionId);
      if (version?.status === 'redundant')
        throw new BackgroundServicesError(`${call}: the waiting version #${waiting.versionId} became redundant instead of activated.`);
      return version?.status === 'activated' ? version : undefined;
    });
  }

  async start(options: TriggerTarget = {}): Promise<ServiceWorkerVersionInfo> {
    const call = 'serviceWorkerPane.start()';
    const { registration, timeout, deadline } = await this.target(call, options);
    await this.session.cdp.send('ServiceWorker.startWorker', { scopeURL: registration.scopeURL });
    return this.until(call, registration, deadline, timeout, 'the active version did not start', () =>
      this.of(registration.registrationId).find((v) => v.status === 'activated' && v.runningStatus === 'running'),
    );
  }

  async stop(options: TriggerTarget = {}): Promise<void> {
    const call = 'serviceWorkerPane.stop()';
    const { registration, timeout, deadline } = await this.target(call, options);
    const live = this.of(registration.registrationId).filter((v) => v.runningStatus !== 'stopped');
    await Promise.all(live.map((v) => this.session.cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId })));
    await this.until(call, registration, deadline, timeout, 'the workers did not stop', () =>
      this.of(registration.registrationId).every((v) => v.runningStatus === 'stopped') ? true : undefined,
    );
  }

  async stopAll(options: { timeout?: number } = {}): Promise<void> {
    const call = 'serviceWorkerPane.stopAll()';
    this.assertUsable(call);
    const timeout = assertTimeout(options.timeout, call) ?? this.session.timeout();
    await this.registry.enable();
    await this.session.cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor({
      check: () => (this.registry.versionList().every((v) => v.runningStatus === 'stopped') ? true : undefined),
      subscribe: (onChange) => this.registry.subscribe(onChange),
      onAbort: (listener) => this.session.onAbort(listener),
      timeout,
      timeoutMessage: () => `${call}: the workers did not all stop within ${timeout}ms. Versions seen: ${describeVersions(this.registry.versionList())}.`,
    });
  }

  async unregister(options: TriggerTarget = {}): Promise<void> {
    const call = 'serviceWorkerPane.unregister()';
    const { registration, timeout, deadline } = await this.target(call, options);
    await this.session.cdp.send('ServiceWorker.unregister', { scopeURL: registration.scopeURL });
    await this.until(call, registration, deadline, timeout, 'Chromium did not report the registration deleted', () =>
      this.registry.isDeleted(registration.registrationId) ? true : undefined,
    );
  }

  async setUpdateOnReload(on: boolean): Promise<void> {
    const call = 'serviceWorkerPane.setUpdateOnReload()';
    this.assertUsable(call);
    if (typeof on !== 'boolean') throw new BackgroundServicesError(`${call}: expected true or false, got ${JSON.stringify(on)}.`);
    await this.registry.enable();
    await this.session.cdp.send('ServiceWorker.setForceUpdateOnPageLoad', { forceUpdateOnPageLoad: on });
  }

  async setBypassForNetwork(on: boolean): Promise<void> {
    const call = 'serviceWorkerPane.setBypassForNetwork()';
    this.assertUsable(call);
    if (typeof on !== 'boolean') throw new BackgroundServicesError(`${call}: expected true or false, got ${JSON.stringify(on)}.`);
    // The renderer's network agent applies the bypass only while the domain is enabled on this session.
    if (on) await this.session.cdp.send('Network.enable');
    await this.session.cdp.send('Network.setBypassServiceWorker', { bypass: on });
  }

  versions(): ServiceWorkerVersionInfo[] {
    return this.registry.versionList();
  }
}
