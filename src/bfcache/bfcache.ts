import type { Page } from '@playwright/test';
import type { Protocol } from 'devtools-protocol';
import { openPageSession, type Cdp } from '../cdp/cdp.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType } from '../background-services/events.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';
import { probeFor, type SupportProbe } from '../support/probe.js';
import { requireFeature } from '../support/require.js';

/** Why a page was not restored (devtools-protocol's names). */
export type NotRestoredReasonName = Protocol.Page.BackForwardCacheNotRestoredReason;
export type NotRestoredReasonType = Protocol.Page.BackForwardCacheNotRestoredReasonType;

/** Why a page was not restored, as DevTools lists it. */
export interface NotRestoredReason {
  /** `PageSupportNeeded` is the actionable one. */
  type: NotRestoredReasonType;
  reason: NotRestoredReasonName;
  context?: string;
  details?: Protocol.Page.BackForwardCacheBlockingDetails[];
}

/** What DevTools' "Test back/forward cache" shows. */
export interface BackForwardCacheResult {
  url: string;
  restored: boolean;
  reasons: NotRestoredReason[];
  /** Reasons per frame. */
  tree?: Protocol.Page.BackForwardCacheNotRestoredExplanationTree;
}

export interface BackForwardCacheOptions {
  /** Absolute or relative to the page; default `chrome://terms`. */
  awayUrl?: string;
  /** Runs on the away page, before going back. */
  whileAway?: (page: Page) => Promise<unknown>;
  /** Milliseconds; default 10000. */
  timeout?: number;
}

/** DevTools' names for the reason types, in its order. */
export const REASON_TYPE_TITLES: Readonly<Record<NotRestoredReasonType, string>> = {
  PageSupportNeeded: 'Actionable',
  SupportPending: 'Pending support',
  Circumstantial: 'Not actionable',
};

/**
 * Waits for the outcome of a history navigation that may be served from the back/forward
 * cache, and runs `navigate` once listening. Event-driven: a restore never fires `load`.
 */
async function observeHistoryNavigation(
  cdp: Cdp,
  url: string,
  timeout: number,
  navigate: () => Promise<unknown>,
  call: string,
): Promise<BackForwardCacheResult> {
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const mainFrameId = frameTree.frame.id;
  let result: BackForwardCacheResult | undefined;
  let navigatedTo: string | undefined;
  const changed = new Emitter();
  const offRestore = cdp.on('Page.frameNavigated', ({ frame, type }) => {
    if (frame.id !== mainFrameId || frame.parentId) return;
    navigatedTo = frame.url;
    if (type === 'BackForwardCacheRestore') result = { url: frame.url, restored: true, reasons: [] };
    changed.emit();
  });
  const offNotUsed = cdp.on('Page.backForwardCacheNotUsed', ({ frameId, notRestoredExplanations, notRestoredExplanationsTree }) => {
    if (frameId !== mainFrameId) return;
    result = {
      url: notRestoredExplanationsTree?.url ?? url,
      restored: false,
      reasons: notRestoredExplanations.map(({ type, reason, context, details }) => ({
        type,
        reason,
        ...(context !== undefined ? { context } : {}),
        ...(details !== undefined ? { details } : {}),
      })),
      ...(notRestoredExplanationsTree ? { tree: notRestoredExplanationsTree } : {}),
    };
    changed.emit();
  });
  try {
    await navigate();
    return await waitFor({
      check: () => result,
      subscribe: (onChange) => changed.on(onChange),
      onAbort: (listener) => cdp.onClose(() => listener(new BackgroundServicesError(`${call}: the page was closed.`))),
      timeout,
      timeoutMessage: () =>
        `${call}: the browser reported neither a restore from the back/forward cache nor why not within ${timeout}ms` +
        (navigatedTo ? ` (the page is at ${navigatedTo})` : '') +
        '.',
    });
  } finally {
    offRestore();
    offNotUsed();
  }
}

/**
 * Navigates away and back (DevTools' test) and says whether the page was restored, or why not.
 * @example
 * const { restored, reasons } = await testBackForwardCache(page);
 */
export function testBackForwardCache(page: Page, options: BackForwardCacheOptions = {}): Promise<BackForwardCacheResult> {
  return runBackForwardCacheTest(page, options);
}

/** `testBackForwardCache()` asking `probe` (the fixtures pass theirs). */
export async function runBackForwardCacheTest(page: Page, options: BackForwardCacheOptions = {}, probe?: SupportProbe): Promise<BackForwardCacheResult> {
  const call = 'testBackForwardCache()';
  const timeout = assertTimeout(options.timeout, call) ?? 10_000;
  if (options.whileAway !== undefined && typeof options.whileAway !== 'function') {
    throw new BackgroundServicesError(`${call}: whileAway must be a function such as async (page) => { … }, got ${describeType(options.whileAway)}.`);
  }
  const cdp = await openPageSession(page, call);
  try {
    await cdp.send('Page.enable');
    const { currentIndex, entries } = await cdp.send('Page.getNavigationHistory');
    const entry = entries[currentIndex]!;
    if (!/^https?:/.test(entry.url)) {
      throw new BackgroundServicesError(`${call}: the page is at ${JSON.stringify(entry.url)}. Navigate to the page to test first (page.goto).`);
    }
    const awayUrl = options.awayUrl === undefined ? 'chrome://terms' : resolveAwayUrl(options.awayUrl, entry.url, call);
    await requireFeature(probe ?? probeFor(page), 'backForwardCache', call);
    const navigatedAway = new Emitter();
    let away = false;
    const off = cdp.on('Page.frameNavigated', ({ frame }) => {
      if (!frame.parentId && frame.url !== entry.url) {
        away = true;
        navigatedAway.emit();
      }
    });
    try {
      await cdp.send('Page.navigate', { url: awayUrl });
      await waitFor({
        check: () => (away ? true : undefined),
        subscribe: (onChange) => navigatedAway.on(onChange),
        timeout,
        timeoutMessage: () => `${call}: navigating away to ${awayUrl} did not commit within ${timeout}ms.`,
      });
    } finally {
      off();
    }
    if (options.whileAway) await options.whileAway(page);
    return await observeHistoryNavigation(cdp, entry.url, timeout, () => cdp.send('Page.navigateToHistoryEntry', { entryId: entry.id }), call);
  } finally {
    await cdp.detach();
  }
}

/**
 * `page.goBack()` that does not hang on a back/forward cache restore, and says whether it was one.
 * @example
 * const { restored } = await goBack(page);
 */
export async function goBack(page: Page, options: { timeout?: number } = {}): Promise<BackForwardCacheResult> {
  const call = 'goBack()';
  const timeout = assertTimeout(options.timeout, call) ?? 10_000;
  const cdp = await openPageSession(page, call);
  try {
    await cdp.send('Page.enable');
    const { currentIndex, entries } = await cdp.send('Page.getNavigationHistory');
    if (currentIndex === 0) throw new BackgroundServicesError(`${call}: there is no history entry to go back to (the page is at ${entries[0]?.url}).`);
    const target = entries[currentIndex - 1]!;
    return await observeHistoryNavigation(cdp, target.url, timeout, () => cdp.send('Page.navigateToHistoryEntry', { entryId: target.id }), call);
  } finally {
    await cdp.detach();
  }
}

/** The reasons grouped the way DevTools shows them: one block per type. */
export function formatReasons(reasons: readonly NotRestoredReason[]): string {
  if (reasons.length === 0) return 'Reasons: none';
  const blocks: string[] = [];
  for (const type of Object.keys(REASON_TYPE_TITLES) as NotRestoredReasonType[]) {
    const ofType = reasons.filter((reason) => reason.type === type);
    if (ofType.length === 0) continue;
    blocks.push(
      `${REASON_TYPE_TITLES[type]} (${type}):\n${ofType
        .map(
          (r) =>
            `  - ${r.reason}${r.context ? ` (${r.context})` : ''}${r.details?.length ? ` at ${r.details.map((d) => `${d.url ?? ''}:${d.lineNumber}:${d.columnNumber}`).join(', ')}` : ''}`,
        )
        .join('\n')}`,
    );
  }
  if (reasons.some((r) => r.reason === 'BackForwardCacheDisabledByCommandLine')) {
    blocks.push(
      `The cache is off: the browser was launched with --disable-back-forward-cache, which Playwright passes by default. \`use: { backForwardCache: true }\` removes it where the fixtures launch the browser; on a remote server that needs \`run-server --unsafe\`.`,
    );
  }
  return blocks.join('\n');
}

function resolveAwayUrl(awayUrl: unknown, pageUrl: string, call: string): string {
  if (typeof awayUrl === 'string' && awayUrl !== '') {
    try {
      return new URL(awayUrl, pageUrl).href;
    } catch {
      // reported below
    }
  }
  throw new BackgroundServicesError(
    `${call}: awayUrl must be a URL, absolute or relative to the page (such as 'chrome://terms' or '/other'), got ${JSON.stringify(awayUrl)}.`,
  );
}
