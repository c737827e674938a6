import type { Page } from '@playwright/test';
import { forceBounceTrackingMitigations, type ForceRunResult } from '../bounce-tracking/bounceTracking.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError } from '../cdp/errors.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';
import { isArray } from '../cdp/guards.js';

function isResult(value: unknown): value is ForceRunResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as ForceRunResult).deletedSites);
}

export async function toHaveDeletedSites(
  this: MatcherState,
  received: unknown,
  sites: readonly string[],
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(received).toHaveDeletedSites()');
  const name = 'toHaveDeletedSites';
  if (!isArray(sites) || sites.length === 0 || sites.some((site) => typeof site !== 'string')) {
    throw new BackgroundServicesError(`expect(page).${name}(): expected a non-empty array of sites such as ['tracker.test'], got ${JSON.stringify(sites)}.`);
  }
  let result: ForceRunResult;
  let label: string;
  let waited: string | undefined;
  if (isResult(received)) {
    result = received;
    label = 'expect(result)';
  } else if (typeof received === 'object' && received !== null && typeof (received as Page).context === 'function') {
    label = 'expect(page)';
    const timeout = opts.timeout ?? this.timeout;
    result = await forceBounceTrackingMitigations(received as Page, { sites, timeout }).catch((error: Error) => {
      if (!(error instanceof BackgroundServicesTimeoutError)) throw error;
      waited = error.message;
      return { deletedSites: [], runs: 0 };
    });
  } else {
    throw wrongReceiver(name, 'a page or the result of forceBounceTrackingMitigations()', received);
  }
  const expected = `[${sites.map((site) => `'${site}'`).join(', ')}]`;
  return runMatcher(this, {
    name,
    receiverLabel: label,
    expected,
    timeout: opts.timeout,
    evaluate: () => {
      const missing = sites.filter((site) => !result.deletedSites.includes(site));
      return missing.length
        ? { pass: false, received: `deleted [${result.deletedSites.map((s) => `'${s}'`).join(', ')}]; not ${missing.join(', ')}` }
        : { pass: true, received: `deleted [${result.deletedSites.map((s) => `'${s}'`).join(', ')}]` };
    },
    details: () => waited ?? `Runs: ${result.runs}`,
    actual: () => result.deletedSites,
  });
}
