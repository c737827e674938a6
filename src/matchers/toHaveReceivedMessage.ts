import { assertFcmFilter, formatFcmFilter, matchesFcmFilter, type FcmMessageFilter } from '../fcm/filter.js';
import { formatFcmMessages, isFcmStandIn } from '../fcm/standIn.js';
import { firstMessageVerdict, matcherOptions, runMatcher, wrongReceiver, type MatcherOptions, type MatcherResult, type MatcherState } from './engine.js';

export async function toHaveReceivedMessage(
  this: MatcherState,
  received: unknown,
  filter: FcmMessageFilter = {},
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveReceivedMessage';
  const opts = matcherOptions(options, `expect(fcm).${name}()`);
  if (!isFcmStandIn(received)) throw wrongReceiver(name, 'the fcm fixture', received);
  assertFcmFilter(filter, `expect(fcm).${name}()`);
  const fcm = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(fcm)',
    expected: formatFcmFilter(filter),
    timeout: opts.timeout,
    evaluate: () => firstMessageVerdict(fcm.messages, (message) => matchesFcmFilter(message, filter)),
    subscribe: (onChange) => fcm.subscribe(onChange),
    details: () => formatFcmMessages(fcm),
    actual: () => fcm.messages.length,
  });
}
