import { assertPushFilter, formatPushFilter, matchesPushFilter, type PushMessageFilter } from '../push/filter.js';
import { formatPushMessages, isPushService } from '../push/service.js';
import { firstMessageVerdict, runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveReceivedPush(
  this: MatcherState,
  received: unknown,
  filter: PushMessageFilter = {},
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const opts = matcherOptions(options, 'expect(pushService).toHaveReceivedPush()');
  const name = 'toHaveReceivedPush';
  if (!isPushService(received)) throw wrongReceiver(name, 'the pushService fixture', received);
  assertPushFilter(filter, `expect(pushService).${name}()`);
  const service = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(pushService)',
    expected: formatPushFilter(filter),
    timeout: opts.timeout,
    evaluate: () => firstMessageVerdict(service.messages, (message) => matchesPushFilter(message, filter)),
    subscribe: (onChange) => service.subscribe(onChange),
    details: () => formatPushMessages(service.messages, service.rejected, service.certificateHints),
    actual: () => service.messages.length,
  });
}
