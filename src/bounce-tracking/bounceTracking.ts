import type { Page } from '@playwright/test';
import { describeBrowser, openPageSession, type Cdp } from '../cdp/cdp.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError, MissingCommandError } from '../cdp/errors.js';
import { assertTimeout } from '../cdp/wait.js';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { probeBackgroundServicesSupport } from '../support/probe.js';
import { requireFeature } from '../support/require.js';
import { isArray } from '../cdp/guards.js';

const COMMAND = 'Storage.runBounceTrackingMitigations';
/** How often a Force run is repeated: the first calls often answer [] while Chromium settles. */
const POLL_INTERVAL_MS = 250;

/** What the running browser can do for bounce tracking mitigations. */
export interface BounceTrackingSupport {
  /** Whether `Storage.runBounceTrackingMitigations` ("Force run") exists (Chromium 150: yes; 156: no). */
  forceRun: boolean;
  /** e.g. `chromium 156.0.8078.79` */
  browser: string;
  /** Why not, when `forceRun` is false. */
  reason?: string;
}

export interface ForceRunOptions {
  /** Keep running until these sites are deleted (default: until any site is). */
  sites?: readonly string[];
  /** Milliseconds to keep trying; default 15000 (Chromium ends an open redirect chain after 10 s). */
  timeout?: number;
  /** The page that bounced: navigated to about:blank to end its redirect chain. Default: none. */
  endRedirectChainOf?: Page;
}

export interface ForceRunResult {
  /** Every site the runs deleted, in the order they were reported. */
  deletedSites: string[];
  /** How many times the command was sent. */
  runs: number;
}

function missing(error: unknown): error is MissingCommandError {
  return error instanceof MissingCommandError && error.command === COMMAND;
}

/**
 * Whether the browser has DevTools' "Force run" (`Storage.runBounceTrackingMitigations`), asked
 * the only reliable way: by sending it on a page session (the feature-state query says yes even
 * where the command is compiled out). The first call in a context waits ~3 s for Chromium's
 * bounce-tracking storage; that also warms it up for the test.
 *
 * @example
 * const support = await bounceTrackingSupport(page);
 * test.skip(!support.forceRun, support.reason);
 */
export async function bounceTrackingSupport(page: Page): Promise<BounceTrackingSupport> {
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
 * DevTools' "Force run" for Bounce Tracking Mitigations: deletes the state of sites that bounced
 * the user, and returns them. Sent from a page session of the page's context, again every
 * 250 ms until the sites are reported or the timeout passes, since Chromium answers [] until its
 * storage is ready and the redirect chain has ended. Throws a clear error where the command
 * does not exist (Chromium 156), naming the browser.
 *
 * @example
 * await page.goto('http://site-a.localhost:4321/');
 * await page.goto('http://tracker.localhost:4321/bounce?to=http://site-b.localhost:4321/');
 * const { deletedSites } = await forceBounceTrackingMitigations(page, { sites: ['tracker.localhost'], endRedirectChainOf: page });
 */
export async function forceBounceTrackingMitigations(page: Page, options: ForceRunOptions = {}): Promise<ForceRunResult> {
  const call = 'forceBounceTrackingMitigations()';
  const timeout = assertTimeout(options.timeout, call) ?? 15_000;
  const wanted = options.sites ?? [];
  if (!isArray(wanted) || wanted.some((site) => typeof site !== 'string' || site === '')) {
    throw new BackgroundServicesError(`${call}: sites must be an array of site names such as ['tracker.test'], got ${JSON.stringify(options.sites)}.`);
  }
  if (options.endRedirectChainOf) await options.endRedirectChainOf.goto('about:blank');
  const cdp = await openPageSession(page, call);
  await requireFeature(probeBackgroundServicesSupport(page), 'bounceTrackingForceRun', call).catch(async (error: unknown) => {
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

/** A site Chromium flagged as a bounce tracker (`Audits.issueAdded`, `BounceTrackingIssue`). */
export interface BounceTrackingIssue {
  trackingSites: string[];
  /** Milliseconds since the epoch when the browser reported it. */
  at: number;
}

/**
 * Records the bounce trackers Chromium flags in DevTools' Issues panel, on every version
 * (including those without "Force run"). Start it before the bounce, on the page that bounces.
 *
 * @example
 * const issues = await recordBounceTrackingIssues(page);
 * await page.goto(bounceUrl);
 * await expect(issues).toHaveFlaggedBounceTracker('tracker.localhost');
 */
const ISSUES_BRAND = Symbol.for('playwright-background-services.bounce-tracking-issues');

export class BounceTrackingIssues {
  /** @internal */
  readonly [ISSUES_BRAND] = true;
  readonly issues: BounceTrackingIssue[] = [];
  private readonly changed = new Emitter();

  /** @internal */
  constructor(private readonly cdp: Cdp) {
    cdp.on('Audits.issueAdded', ({ issue }) => {
      const sites = issue.details.bounceTrackingIssueDetails?.trackingSites;
      if (issue.code !== 'BounceTrackingIssue' || !sites) return;
      this.issues.push({ trackingSites: [...sites], at: Date.now() });
      this.changed.emit();
    });
  }

  /** Every site flagged so far. */
  get trackingSites(): string[] {
    return [...new Set(this.issues.flatMap((issue) => issue.trackingSites))];
  }

  /** @internal */
  subscribe(onChange: () => void): () => void {
    return this.changed.on(onChange);
  }

  /** @internal */
  onAbort(listener: (error: Error) => void): () => void {
    return this.cdp.onClose(() => listener(new BackgroundServicesError('The page that recorded bounce tracking issues was closed.')));
  }

  async dispose(): Promise<void> {
    await this.cdp.detach();
  }
}

/** Starts recording bounce tracking issues on a page (Audits domain). */
export async function recordBounceTrackingIssues(page: Page): Promise<BounceTrackingIssues> {
  const cdp = await openPageSession(page, 'recordBounceTrackingIssues()');
  const recorder = new BounceTrackingIssues(cdp);
  await cdp.send('Audits.enable');
  return recorder;
}

export function isBounceTrackingIssues(value: unknown): value is BounceTrackingIssues {
  return hasBrand(value, ISSUES_BRAND);
}
