import { isBounceTrackingIssues } from '../bounce-tracking/bounceTracking.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveFlaggedBounceTracker(this: MatcherState, received: unknown, site: string, options: MatcherOptions = {}): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(bounceTrackingIssues).toHaveFlaggedBounceTracker()');
  const name = 'toHaveFlaggedBounceTracker';
  if (!isBounceTrackingIssues(received)) {
    throw wrongReceiver(name, 'the bounceTrackingIssues fixture (or recordBounceTrackingIssues())', received);
  }
  if (typeof site !== 'string' || site === '')
    throw new BackgroundServicesError(`expect(bounceTrackingIssues).${name}(): expected a site such as 'tracker.test', got ${JSON.stringify(site)}.`);
  const issues = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(bounceTrackingIssues)',
    expected: `'${site}'`,
    timeout: opts.timeout,
    evaluate: () =>
      issues.trackingSites.includes(site)
        ? { pass: true, received: `flagged: ${issues.trackingSites.join(', ')}` }
        : { pass: false, received: issues.trackingSites.length ? `flagged only: ${issues.trackingSites.join(', ')}` : 'no bounce tracker flagged' },
    subscribe: (onChange) => issues.subscribe(onChange),
    onAbort: (listener) => issues.onAbort(listener),
    details: () => `Bounce tracking issues: ${issues.issues.length ? issues.issues.map((i) => `[${i.trackingSites.join(', ')}]`).join(' ') : 'none'}`,
    actual: () => issues.trackingSites,
  });
}
