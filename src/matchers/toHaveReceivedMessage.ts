import { assertFcmFilter, formatFcmFilter, matchesFcmFilter, type FcmMessageFilter } from '../fcm/filter.js';
import { formatFcmMessages, isFcmStandIn } from '../fcm/standIn.js';
import { matcherOptions, runMatcher, wrongReceiver, type MatcherOptions, type MatcherResult, type MatcherState } from './engine.js';

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
    evaluate: () => {
      const messages = fcm.messages;
      const index = messages.findIndex((message) => matchesFcmFilter(message, filter));
      if (index >= 0) return { pass: true, received: `message #${index + 1} matches` };
      return { pass: false, received: messages.length ? `${messages.length} message(s), none matching` : 'no messages' };
    },
    subscribe: (onChange) => fcm.subscribe(onChange),
    details: () => formatFcmMessages(fcm),
    actual: () => fcm.messages.length,
  });
}
