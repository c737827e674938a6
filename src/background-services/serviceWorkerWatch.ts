import type { Page } from '@playwright/test';
import { openPageSession } from '../cdp/cdp.js';
import { TargetClosedError } from '../cdp/errors.js';
import { DEFAULT_TIMEOUT } from '../cdp/wait.js';
import { originOf } from './filter.js';
import { ServiceWorkerRegistry, type ServiceWorkerVersionInfo } from './serviceWorkers.js';

/** What `expect(page).toHaveServiceWorker()` watches: the versions a page's controller sees. */
export interface ServiceWorkerWatch {
  versions(): ServiceWorkerVersionInfo[];
  subscribe(listener: () => void): () => void;
  onAbort(listener: (error: Error) => void): () => void;
  /** Settles once the browser reported the versions it had when the watch began. */
  reported: Promise<void>;
}

const watches = new WeakMap<Page, ServiceWorkerWatch>();

/** Makes `watch` the page's (its latest controller's); returns the unregister. */
export function registerServiceWorkerWatch(page: Page, watch: ServiceWorkerWatch): () => void {
  watches.set(page, watch);
  return () => {
    if (watches.get(page) === watch) watches.delete(page);
  };
}

/** The page's controller's view of its versions, or one made for the call (then `dispose` it). */
export async function serviceWorkerWatch(page: Page, call: string): Promise<{ watch: ServiceWorkerWatch; dispose?: () => Promise<void> }> {
  const existing = watches.get(page);
  if (existing) return { watch: existing };
  const cdp = await openPageSession(page, call);
  const onAbort = (listener: (error: Error) => void) => {
    const closed = () => listener(new TargetClosedError(`The page (${page.url()}) was closed.`));
    page.once('close', closed);
    return () => void page.off('close', closed);
  };
  const registry = new ServiceWorkerRegistry({
    cdp,
    page,
    timeout: () => DEFAULT_TIMEOUT,
    pageUrl: () => page.url(),
    currentOrigin: () => originOf(page.url()),
    onAbort,
    describeBrowser: () => cdp.describeBrowser(),
  });
  await registry.enable();
  return {
    watch: { versions: () => registry.versionList(), subscribe: (l) => registry.subscribe(l), onAbort, reported: registry.reported },
    dispose: () => cdp.detach(),
  };
}
