import { formatReasons } from '../bfcache/bfcache.js';
import { runMatcher, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';
import { backForwardCacheResult } from './backForwardCacheReceiver.js';

export async function toBeRestoredFromBackForwardCache(this: MatcherState, received: unknown, options: MatcherOptions = {}): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(page).toBeRestoredFromBackForwardCache()');
  const name = 'toBeRestoredFromBackForwardCache';
  const { result, label } = await backForwardCacheResult(received, name, opts.timeout ?? this.timeout);
  return runMatcher(this, {
    name,
    receiverLabel: label,
    expected: '',
    timeout: opts.timeout,
    evaluate: () => ({
      pass: result.restored,
      received: result.restored
        ? `restored (${result.url})`
        : `not restored (${result.url}): ${result.reasons.map((r) => r.reason).join(', ') || 'no reason given'}`,
    }),
    details: () => formatReasons(result.reasons),
    actual: () => result,
  });
}
