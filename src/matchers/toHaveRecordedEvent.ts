import { parseSavedEvents } from '../background-services/events.js';
import { assertEventFilter, compileFilter, formatFilter, type EventFilter } from '../background-services/filter.js';
import { incrementalFind } from '../background-services/recording.js';
import { eventSourceHooks, runMatcher, toEventSource, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveRecordedEvent(this: MatcherState, received: unknown, filter: EventFilter, options: MatcherOptions = {}): Promise<MatcherResult> {
  const name = 'toHaveRecordedEvent';
  const opts = matcherOptions(options, `expect(recording).toHaveRecordedEvent()`);
  const source = toEventSource(received, name, (value) => parseSavedEvents(value, `expect(events).${name}()`));
  assertEventFilter(filter, `expect(recording).${name}()`);
  const find = incrementalFind(source, compileFilter(filter));
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(recording)',
    expected: formatFilter(filter),
    timeout: opts.timeout,
    ...eventSourceHooks(source, { filters: [filter], call: `expect(recording).${name}()` }),
    evaluate: () => {
      const index = find();
      if (index >= 0) return { pass: true, received: `event #${index + 1} matches` };
      const count = (source.view?.() ?? source.events).length;
      return {
        pass: false,
        received: count === 0 ? 'no events recorded' : `${count} event(s) recorded, none matching`,
      };
    },
  });
}
