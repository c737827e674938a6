import type { Page } from '@playwright/test';
import type { Cdp } from './cdp.js';

/**
 * What every feature of a page's controller receives: the page's one long-lived CDP session
 * and what the controller knows about the page. `BackgroundServices` builds it once; recordings,
 * triggers, the service worker registry, connectivity and the Reporting API watcher share it.
 */
export interface PageSession {
  readonly cdp: Cdp;
  readonly page: Page;
  /** The default timeout of every wait, in milliseconds (0: no limit). */
  timeout(): number;
  /** The page's current URL. */
  pageUrl(): string;
  /** The page's current origin; undefined where it has none (about:blank). */
  currentOrigin(): string | undefined;
  /** Calls back once waiting on the page can no longer succeed (page or session closed). */
  onAbort(listener: (error: Error) => void): () => void;
  /** `chromium 156.0.8078.79`, for messages about what the browser lacks. */
  describeBrowser(): string;
  /**
   * The error for a feature (a background service, …) this browser lacks according to the
   * capability probe, or undefined when it has it or was not probed.
   */
  unsupportedService?(service: string, call: string): Promise<Error | undefined>;
}
