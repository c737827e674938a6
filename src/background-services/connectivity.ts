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
 * DevTools' service worker offline emulation: Chromium's BackgroundSyncManager holds sync
 * events back while the worker's DevTools session emulates offline, and fires them when it goes
 * back online. It only takes hold on a running worker, through the worker's own session, and
 * must be lifted through that same session.
 */
export class ServiceWorkerConnectivity {
  private readonly workers = new Map<string, WorkerSession>();

  constructor(
    private readonly session: PageSession,
    private readonly registry: ServiceWorkerRegistry,
  ) {}

  async setOffline(offline: boolean, options: TriggerTarget): Promise<void> {
    const timeout = assertTimeout(options.timeout, 'setServiceWorkerOffline()') ?? this.session.timeout();
    const registration = await this.registry.findActive({ origin: options.origin, scope: options.scope, timeout, pageUrl: this.session.pageUrl(), call: 'setServiceWorkerOffline()' });
    let worker = this.workers.get(registration.registrationId);
    if (!worker) {
      if (!offline) return;
      const targetId = await this.registry.runningTarget(registration, timeout);
      const session = await attachToTarget(this.session.cdp, targetId, () => this.session.describeBrowser());
      worker = { session, offline: false };
      this.workers.set(registration.registrationId, worker);
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

/** DevTools' emulation on a worker's own session, with the older command where the new one is missing. */
export async function emulateServiceWorkerOffline(session: Cdp, offline: boolean): Promise<void> {
  try {
    // Takes only the worker's background sync offline; the page's network stays as it is.
    await session.send('Network.emulateNetworkConditionsByRule', { emulateOfflineServiceWorker: offline, matchedNetworkConditions: [] });
  } catch (error) {
    if (!(error instanceof MissingCommandError) && !/emulateOfflineServiceWorker|invalid/i.test(String(error))) throw error;
    // Older Chromium: the worker's whole network goes offline, which holds syncs back too.
    await session.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
}
