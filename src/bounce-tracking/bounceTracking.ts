import type { Browser, Page } from '@playwright/test';
import { describeBrowser, openPageSession, type Cdp } from '../cdp/cdp.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError, MissingCommandError } from '../cdp/errors.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { probeFor, type SupportProbe } from '../support/probe.js';
import { requireFeature } from '../support/require.js';
import { isArray } from '../cdp/guards.js';

const COMMAND = 'Storage.runBounceTrackingMitigations';
/** How often a Force run is repeated: the first calls often answer [] while Chromium settles. */
const POLL_INTERVAL_MS = 250;

/** Whether the running browser has DevTools' "Force run". */
export interface BounceTrackingSupport {
  forceRun: boolean;
  browser: string;
  /** Why not, when `forceRun` is false. */
  reason?: string;
}

export interface ForceRunOptions {
  /** Run until these are deleted (default: any site). */
  sites?: readonly string[];
  /** Milliseconds; default 15000. */
  timeout?: number;
  /** Sent to about:blank first, to end its redirect chain. */
  endRedirectChainOf?: Page;
}

/** What `forceBounceTrackingMitigations()` resolves with. */
export interface ForceRunResult {
  deletedSites: string[];
  /** How many times "Force run" was sent. */
  runs: number;
}

function missing(error: unknown): error is MissingCommandError {
  return error instanceof MissingCommandError && error.command === COMMAND;
}

/**
 * Whether the browser has DevTools' "Force run".
 * @example
 * const { forceRun, reason } = await bounceTrackingSupport(page);
 */
export async function bounceTrackingSupport(page: Page): Promise<BounceTrackingSupport> {
  // Asked the only reliable way, by sending the command: the feature-state query says yes even
  // where it is compiled out. The first call in a context waits ~3 s for Chromium's bounce-tracking
  // storage, which also warms it up for the test.
  const cdp = await openPageSession(page, 'bounceTrackingSupport()');
  try {
    await cdp.send(COMMAND);
    return { forceRun: true, browser: describeBrowser(page) };
  } catch (error) {
    if (!missing(error)) throw error;
    return {
      forceRun: false,
      browser: describeBrowser(page),
      reason: `${describeBrowser(page)} has no ${COMMAND} (DevTools' "Force run"): Chromium 156 compiled it out. Chromium 150 has it (scripts/install-chromium-150.sh).`,
    };
  } finally {
    await cdp.detach();
  }
}

/**
 * DevTools' "Force run", repeated until `sites` are deleted.
 * @example
 * await forceBounceTrackingMitigations(page, { sites: ['tracker.localhost'] });
 */
export function forceBounceTrackingMitigations(page: Page, options: ForceRunOptions = {}): Promise<ForceRunResult> {
  return runBounceTrackingMitigations(page, options);
}

/** `forceBounceTrackingMitigations()` asking `probe` (the fixtures pass theirs). */
export async function runBounceTrackingMitigations(page: Page, options: ForceRunOptions = {}, probe?: SupportProbe): Promise<ForceRunResult> {
  const call = 'forceBounceTrackingMitigations()';
  const timeout = assertTimeout(options.timeout, call) ?? 15_000;
  const wanted = options.sites ?? [];
  if (!isArray(wanted) || wanted.some((site) => typeof site !== 'string' || site === '')) {
    throw new BackgroundServicesError(`${call}: sites must be an array of site names such as ['tracker.test'], got ${JSON.stringify(options.sites)}.`);
  }
  if (options.endRedirectChainOf) await options.endRedirectChainOf.goto('about:blank');
  const cdp = await openPageSession(page, call);
  await requireFeature(probe ?? probeFor(page), 'bounceTrackingForceRun', call).catch(async (error: unknown) => {
    await cdp.detach();
    throw error;
  });
  const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
  const deleted: string[] = [];
  const done = () => (wanted.length ? wanted.every((site) => deleted.includes(site)) : deleted.length > 0);
  let runs = 0;
  try {
    for (;;) {
      runs++;
      const { deletedSites } = await cdp.send(COMMAND);
      for (const site of deletedSites) if (!deleted.includes(site)) deleted.push(site);
      if (done()) return { deletedSites: deleted, runs };
      if (Date.now() + POLL_INTERVAL_MS > deadline) {
        throw new BackgroundServicesTimeoutError(
          `${call}: ${wanted.length ? `${wanted.join(', ')} not deleted` : 'no site deleted'} after ${runs} run(s) in ${timeout}ms ` +
            `(deleted: ${deleted.length ? deleted.join(', ') : 'none'}). Chromium deletes only sites that bounced without user activation ` +
            `(a click or page.evaluate on the bouncer counts as one), are not open in any tab, and are not the start or end site.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } catch (error) {
    if (missing(error)) {
      throw new MissingCommandError(
        COMMAND,
        describeBrowser(page),
        error.protocolMessage,
        `DevTools' "Force run" needs a Chromium that has it (Chromium 150 does: scripts/install-chromium-150.sh). ` +
          `Check with the bounceTrackingSupport fixture and skip: test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason).`,
      );
    }
    throw error;
  } finally {
    await cdp.detach();
  }
}

/** A bounce tracking issue of DevTools' Issues panel. */
export interface BounceTrackingIssue {
  trackingSites: string[];
  /** Milliseconds since the epoch. */
  at: number;
}

const ISSUES_BRAND = Symbol.for('playwright-background-services.bounce-tracking-issues');

/** The bounce trackers Chromium flagged in DevTools' Issues panel. */
export class BounceTrackingIssues {
  /** @internal */
  readonly [ISSUES_BRAND] = true;
  readonly issues: BounceTrackingIssue[] = [];
  readonly #changed = new Emitter();
  readonly #cdp: Cdp;

  /** @internal */
  constructor(cdp: Cdp) {
    this.#cdp = cdp;
    cdp.on('Audits.issueAdded', ({ issue }) => {
      const sites = issue.details.bounceTrackingIssueDetails?.trackingSites;
      if (issue.code !== 'BounceTrackingIssue' || !sites) return;
      this.issues.push({ trackingSites: [...sites], at: Date.now() });
      this.#changed.emit();
    });
  }

  /** Every site flagged so far. */
  get trackingSites(): string[] {
    return [...new Set(this.issues.flatMap((issue) => issue.trackingSites))];
  }

  /** @internal */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  /** @internal */
  onAbort(listener: (error: Error) => void): () => void {
    return this.#cdp.onClose(() => listener(new BackgroundServicesError('The page that recorded bounce tracking issues was closed.')));
  }

  async dispose(): Promise<void> {
    await this.#cdp.detach();
  }
}

/**
 * Records the bounce trackers Chromium flags in the Issues panel; start it before the bounce.
 * @example
 * const issues = await recordBounceTrackingIssues(page);
 */
export async function recordBounceTrackingIssues(page: Page): Promise<BounceTrackingIssues> {
  const recorder = await startRecording(page);
  await bounceTrackingStoreReady(page);
  return recorder;
}

async function startRecording(page: Page): Promise<BounceTrackingIssues> {
  const cdp = await openPageSession(page, 'recordBounceTrackingIssues()');
  const recorder = new BounceTrackingIssues(cdp);
  await cdp.send('Audits.enable');
  return recorder;
}

/**
 * Chromium flags a bounce at the bounce's commit, after one read of its bounce-tracking store. That
 * store runs best-effort tasks, and a browser runs none of those until it has finished starting up
 * (its first tab loaded and idle): in a fresh browser the first flag came 0–5.4 s after the bounce
 * at load 14 on 2 cores, every later one before `goto` resolved. One throwaway bounce per browser,
 * awaited, takes that wait out of the test's assertion.
 */
const WARM_UP_CAP_MS = 15_000;
const storeReady = new WeakMap<Browser, Promise<void>>();

function bounceTrackingStoreReady(page: Page): Promise<void> {
  const browser = page.context().browser();
  // A persistent context has no browser to open a throwaway context in, and a bounce in the
  // user's own profile would outlive the test.
  if (!browser) return Promise.resolve();
  let ready = storeReady.get(browser);
  if (!ready) {
    ready = warmUp(browser);
    storeReady.set(browser, ready);
  }
  return ready;
}

async function warmUp(browser: Browser): Promise<void> {
  // Hosts of .test never resolve: every request of the throwaway context is answered here, and the
  // bounce is a client-side one because Chromium follows a fulfilled 302 past the route.
  const context = await browser.newContext();
  try {
    await context.route(/^http:\/\/bts-(start|end)\.test\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>bounce-tracking warm-up</title>' }),
    );
    await context.route(/^http:\/\/bts-bounce\.test\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: "<script>location.replace('http://bts-end.test/')</script>" }),
    );
    const page = await context.newPage();
    const issues = await startRecording(page);
    await page.goto('http://bts-start.test/');
    await page.goto('http://bts-bounce.test/');
    await waitFor({
      check: () => (issues.issues.length ? true : undefined),
      subscribe: (onChange) => issues.subscribe(onChange),
      timeout: WARM_UP_CAP_MS,
      timeoutMessage: () => 'bounce-tracking warm-up',
    });
  } catch {
    // A warm-up that cannot run (a closing browser) or is not flagged within the cap leaves the
    // assertion to say what it saw.
  } finally {
    await context.close().catch(() => undefined);
  }
}

export function isBounceTrackingIssues(value: unknown): value is BounceTrackingIssues {
  return hasBrand(value, ISSUES_BRAND);
}
