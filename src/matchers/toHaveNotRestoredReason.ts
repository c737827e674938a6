import type { NotRestoredReasonName } from '../bfcache/bfcache.js';
import { formatReasons } from '../bfcache/bfcache.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { runMatcher, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';
import { backForwardCacheResult } from './backForwardCacheReceiver.js';

export async function toHaveNotRestoredReason(
  this: MatcherState,
  received: unknown,
  reason: NotRestoredReasonName,
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(page).toHaveNotRestoredReason()');
  const name = 'toHaveNotRestoredReason';
  if (typeof reason !== 'string' || (reason as string) === '') {
    throw new BackgroundServicesError(
      `expect(page).${name}(): expected a reason name such as 'UnloadHandlerExistsInMainFrame', got ${JSON.stringify(reason)}.`,
    );
  }
  const { result, label } = await backForwardCacheResult(received, name, opts.timeout ?? this.timeout);
  return runMatcher(this, {
    name,
    receiverLabel: label,
    expected: `'${reason}'`,
    timeout: opts.timeout,
    evaluate: () => {
      const found = result.reasons.find((r) => r.reason === reason);
      if (found) return { pass: true, received: `not restored, ${found.reason} (${found.type})` };
      if (result.restored) return { pass: false, received: `restored from the back/forward cache (${result.url})` };
      return { pass: false, received: `not restored for other reasons: ${result.reasons.map((r) => r.reason).join(', ')}` };
    },
    details: () => formatReasons(result.reasons),
    actual: () => result,
  });
}
