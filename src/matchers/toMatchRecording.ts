import { BackgroundServicesError } from '../cdp/errors.js';
import { assertRecordedEvents, describeType, formatEvent, parseSavedEvents, type RecordedEvent } from '../background-services/events.js';
import { loadRecording } from '../evidence/load.js';
import { eventSourceHooks, runMatcher, toEventSource, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

/** A field `toMatchRecording` leaves out. */
export type RecordingIgnore = 'instanceId' | 'metadata' | `metadata.${string}`;

export interface MatchRecordingOptions extends MatcherOptions {
  /** Fields that change from run to run. */
  ignore?: readonly RecordingIgnore[];
}

function sameEvent(saved: RecordedEvent, live: RecordedEvent, ignore: ReadonlySet<unknown>): boolean {
  if (saved.service !== live.service || saved.eventName !== live.eventName) return false;
  if (!ignore.has('instanceId') && saved.instanceId !== live.instanceId) return false;
  if (ignore.has('metadata')) return true;
  const keys = new Set([...Object.keys(saved.metadata), ...Object.keys(live.metadata)]);
  for (const key of keys) {
    if (ignore.has(`metadata.${key}`)) continue;
    if (saved.metadata[key] !== live.metadata[key]) return false;
  }
  return true;
}

/** How many saved events, from the first, happen in order in the live ones. */
function matchedPrefix(saved: readonly RecordedEvent[], live: readonly RecordedEvent[], ignore: ReadonlySet<unknown>): number {
  let next = 0;
  let count = 0;
  for (const expected of saved) {
    const index = live.findIndex((event, i) => i >= next && !event.preexisting && sameEvent(expected, event, ignore));
    if (index < 0) break;
    next = index + 1;
    count++;
  }
  return count;
}

export async function toMatchRecording(
  this: MatcherState,
  received: unknown,
  saved: string | readonly unknown[] | { events: readonly RecordedEvent[] },
  options: MatchRecordingOptions = {},
): Promise<MatcherResult> {
  const name = 'toMatchRecording';
  const opts = matcherOptions(options, `expect(recording).toMatchRecording()`);
  const source = toEventSource(received, name, (value) => parseSavedEvents(value, `expect(events).${name}()`));
  let expected: readonly RecordedEvent[];
  let label: string;
  const path = typeof saved === 'string' && !saved.trimStart().startsWith('[') ? saved : undefined;
  if (typeof saved === 'string' || Array.isArray(saved)) {
    const loaded = await loadRecording(saved as string | readonly unknown[]);
    expected = loaded.events;
    label = path !== undefined ? JSON.stringify(path) : `${expected.length} saved events`;
  } else if (typeof saved === 'object' && saved !== null && Array.isArray((saved as { events?: unknown }).events)) {
    expected = assertRecordedEvents((saved as { events: readonly unknown[] }).events, `expect(recording).${name}() saved`);
    label = `${expected.length} saved events`;
  } else {
    throw new BackgroundServicesError(
      `expect(recording).${name}(): expected a saved recording (a path, a JSON array of events, or loadRecording()'s result), got ${saved === null ? 'null' : typeof saved}.`,
    );
  }
  if (expected.length === 0)
    throw new BackgroundServicesError(`expect(recording).${name}(): the saved recording${path !== undefined ? ` ${label}` : ''} has no events to match.`);
  if (opts.ignore !== undefined && !Array.isArray(opts.ignore)) {
    throw new BackgroundServicesError(
      `expect(recording).${name}(): options.ignore must be an array such as ['instanceId', 'metadata.Payload'], got ${describeType(opts.ignore)}.`,
    );
  }
  const ignore = new Set<unknown>(opts.ignore ?? []);
  for (const key of ignore) {
    if (key !== 'instanceId' && key !== 'metadata' && !(typeof key === 'string' && /^metadata\..+/.test(key))) {
      throw new BackgroundServicesError(
        `expect(recording).${name}(): unknown ignore entry ${typeof key === 'string' ? JSON.stringify(key) : describeType(key)}. Use 'instanceId', 'metadata' or 'metadata.<key>'.`,
      );
    }
  }
  const shownIgnore = ignore.size ? `, { ignore: [${[...ignore].map((k) => `'${String(k)}'`).join(', ')}] }` : '';
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(recording)',
    expected: `${label}${shownIgnore}`,
    timeout: opts.timeout,
    ...eventSourceHooks(source, { filters: expected, call: `expect(recording).${name}()` }),
    evaluate: () => {
      const count = matchedPrefix(expected, source.view?.() ?? source.events, ignore);
      if (count === expected.length) return { pass: true, received: `all ${count} saved events happened in order` };
      return {
        pass: false,
        received: `${count} of ${expected.length} saved events happened in order; the next one did not:\n  ${formatEvent(expected[count]!, count).replace(/ {2}\(recorded before.*$/, '')}`,
      };
    },
  });
}
