import { attachToTarget, type Cdp } from '../cdp/cdp.js';
import type { PageSession } from '../cdp/session.js';
import type { ServiceWorkerRegistry } from './serviceWorkers.js';
import type { TriggerTarget } from './triggers.js';
import { assertTimeout } from '../cdp/wait.js';
import { MissingCommandError } from '../cdp/errors.js';

interface WorkerSession {
  session: Cdp;
  offline: boolean;
}

/**
 * DevTools' service worker offline emulation on a worker's own session: its requests fail as
 * network errors, `navigator.onLine` is false in it, and Chromium's BackgroundSyncManager holds
 * sync events back until it is online again. It only takes hold on a running worker, and must be
 * lifted through that same session.
 */
export class ServiceWorkerConnectivity {
  private readonly workers = new Map<string, WorkerSession>();

  constructor(
    private readonly session: PageSession,
    private readonly registry: ServiceWorkerRegistry,
  ) {}

  /** Whether the library holds this registration's worker offline. */
  isOffline(registrationId: string): boolean {
    return this.workers.get(registrationId)?.offline ?? false;
  }

  async setOffline(offline: boolean, options: TriggerTarget): Promise<void> {
    const timeout = assertTimeout(options.timeout, 'setServiceWorkerOffline()') ?? this.session.timeout();
    const registration = await this.registry.findActive({
      origin: options.origin,
      scope: options.scope,
      timeout,
      pageUrl: this.session.pageUrl(),
      call: 'setServiceWorkerOffline()',
    });
    let worker = this.workers.get(registration.registrationId);
    if (!worker) {
      if (!offline) return;
      const targetId = await this.registry.runningTarget(registration, timeout);
      const session = await attachToTarget(this.session.cdp, targetId, () => this.session.describeBrowser());
      // The offline rule fails the worker's requests only while the Network domain is enabled on
      // the target: Playwright 1.57+ enables it on every service worker, older ones never do.
      await session.send('Network.enable', {});
      worker = { session, offline: false };
      this.workers.set(registration.registrationId, worker);
    } else {
      // Chromium stops a worker idle for ~30 s, offline too: its session answers again only once it runs.
      await this.registry.runningTarget(registration, timeout);
    }
    await emulateServiceWorkerOffline(worker.session, offline);
    worker.offline = offline;
  }

  async dispose(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(
      workers.map(async (worker) => {
        if (worker.offline) await emulateServiceWorkerOffline(worker.session, false).catch(() => {});
        await worker.session.detach();
      }),
    );
  }
}

const NO_THROTTLING = { latency: 0, downloadThroughput: -1, uploadThroughput: -1 } as const;

/**
 * Takes a worker offline on its own session as DevTools' Service Workers pane does. Measured on
 * Chromium 150 and 156: `emulateOfflineServiceWorker` alone only holds syncs, an offline rule
 * only fails requests, and `navigator.onLine` follows `overrideNetworkState` alone. Browsers
 * without those commands get the deprecated `emulateNetworkConditions`, which does all three.
 */
export async function emulateServiceWorkerOffline(session: Cdp, offline: boolean): Promise<void> {
  try {
    await session.send('Network.emulateNetworkConditionsByRule', {
      emulateOfflineServiceWorker: offline,
      matchedNetworkConditions: offline ? [{ urlPattern: '', offline: true, ...NO_THROTTLING }] : [],
    });
    await session.send('Network.overrideNetworkState', { offline, ...NO_THROTTLING });
  } catch (error) {
    if (!(error instanceof MissingCommandError) && !/emulateOfflineServiceWorker|matchedNetworkConditions|invalid/i.test(String(error))) throw error;
    await session.send('Network.emulateNetworkConditions', { offline, ...NO_THROTTLING });
  }
}
