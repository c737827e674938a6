import { parseSavedEvents } from '../background-services/events.js';
import { assertEventFilter, closestEvent, compileFilter, formatFilter, type EventFilter } from '../background-services/filter.js';
import type { ServiceName } from '../background-services/services.js';
import { incrementalFind } from '../background-services/recording.js';
import { eventSourceHooks, runMatcher, toEventSource, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveRecordedEvent<S extends ServiceName>(
  this: MatcherState,
  received: unknown,
  filter: EventFilter<S>,
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveRecordedEvent';
  const opts = matcherOptions(options, `expect(recording).toHaveRecordedEvent()`);
  const source = toEventSource(received, name, (value) => parseSavedEvents(value, `expect(events).${name}()`));
  assertEventFilter(filter, `expect(recording).${name}()`);
  const find = incrementalFind(source, compileFilter(filter));
  const hooks = eventSourceHooks(source, { filters: [filter], call: `expect(recording).${name}()` });
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(recording)',
    expected: formatFilter(filter),
    timeout: opts.timeout,
    ...hooks,
    // A near miss names the fields that differed, not only the list the user has to read.
    details: () => {
      const events = source.view?.() ?? source.events;
      const closest = this.isNot ? undefined : closestEvent(filter, events);
      const near = closest ? `\nClosest: event #${closest.index + (source.viewDropped?.() ?? 0) + 1} differs in ${closest.misses.join('; ')}` : '';
      return hooks.details() + near;
    },
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
