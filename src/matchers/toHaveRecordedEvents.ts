import { describeType, parseSavedEvents, type RecordedEvent } from '../background-services/events.js';
import { assertEventFilter, compileFilter, formatFilter, type EventFilter, type EventPredicate } from '../background-services/filter.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { eventSourceHooks, runMatcher, toEventSource, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';
import { isArray } from '../cdp/guards.js';

interface RecordedEventsOptions extends MatcherOptions {
  /** Require this order; default false. */
  ordered?: boolean;
}

/** Earliest events, in order: greedy is optimal for a subsequence. */
function matchOrdered(events: readonly RecordedEvent[], filters: readonly EventPredicate[]): number[] {
  const picked: number[] = [];
  let from = 0;
  for (const matches of filters) {
    let index = -1;
    for (let i = from; i < events.length; i++) {
      if (matches(events[i]!)) {
        index = i;
        break;
      }
    }
    if (index < 0) break;
    picked.push(index);
    from = index + 1;
  }
  return picked;
}

/** A distinct event for each filter where one exists (bipartite matching: greedy can miss it). */
function matchUnordered(events: readonly RecordedEvent[], filters: readonly EventPredicate[]): Array<number | undefined> {
  const owner = new Map<number, number>();
  const candidates = filters.map((matches) => {
    const found: number[] = [];
    for (let i = 0; i < events.length; i++) if (matches(events[i]!)) found.push(i);
    return found;
  });
  const assign = (f: number, visited: Set<number>): boolean => {
    for (const e of candidates[f]!) {
      if (visited.has(e)) continue;
      visited.add(e);
      const current = owner.get(e);
      if (current === undefined || assign(current, visited)) {
        owner.set(e, f);
        return true;
      }
    }
    return false;
  };
  filters.forEach((_, f) => assign(f, new Set()));
  const result: Array<number | undefined> = filters.map(() => undefined);
  for (const [e, f] of owner) result[f] = e;
  return result;
}

export async function toHaveRecordedEvents(
  this: MatcherState,
  received: unknown,
  filters: readonly EventFilter[],
  options: RecordedEventsOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveRecordedEvents';
  const opts = matcherOptions(options, `expect(recording).toHaveRecordedEvents()`);
  const source = toEventSource(received, name, (value) => parseSavedEvents(value, `expect(events).${name}()`));
  if (!isArray(filters) || filters.length === 0) {
    throw new BackgroundServicesError(
      `expect(recording).${name}(): expected a non-empty array of event filters, got ${Array.isArray(filters) ? 'an empty array' : typeof filters}.`,
    );
  }
  filters.forEach((filter, i) => assertEventFilter(filter, `expect(recording).${name}() filter [${i}]`));
  const ordered = opts.ordered ?? false;
  if (typeof ordered !== 'boolean')
    throw new BackgroundServicesError(`expect(recording).${name}(): options.ordered must be true or false, got ${describeType(ordered)}.`);
  const predicates = filters.map(compileFilter);
  const expected = `[${filters.map(formatFilter).join(', ')}]${ordered ? ', { ordered: true }' : ''}`;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(recording)',
    expected,
    timeout: opts.timeout,
    ...eventSourceHooks(source, { filters, call: `expect(recording).${name}()` }),
    evaluate: () => {
      const events = source.view?.() ?? source.events;
      const picked: Array<number | undefined> = ordered ? matchOrdered(events, predicates) : matchUnordered(events, predicates);
      const missing = filters.map((_, i) => i).filter((i) => picked[i] === undefined);
      if (missing.length === 0) {
        const first = source.viewDropped?.() ?? 0;
        return { pass: true, received: `all ${filters.length} matched by events ${picked.map((i) => `#${first + i! + 1}`).join(', ')}` };
      }
      const first = missing[0]!;
      return {
        pass: false,
        received:
          `${filters.length - missing.length} of ${filters.length} matched; ` +
          (ordered
            ? `no event for [${first}] ${formatFilter(filters[first]!)}${first > 0 ? ' after the earlier ones' : ''}`
            : `no event for ${missing.map((i) => `[${i}] ${formatFilter(filters[i]!)}`).join(', ')}`),
      };
    },
  });
}
