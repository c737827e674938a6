import { assertRecordedEvents, describeType, formatEventList, type RecordedEvent } from '../background-services/events.js';
import type { RecordedEventSource } from '../background-services/recording.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { assertTimeout, DEFAULT_TIMEOUT } from '../cdp/wait.js';

/** What a matcher reads of its `this`. */
export interface MatcherState {
  isNot?: boolean;
  // Playwright sets it from `expect.timeout` / `expect.configure({ timeout })`.
  timeout?: number;
}

/** Every matcher's last argument. */
export interface MatcherOptions {
  /** Milliseconds; default: the expect timeout. */
  timeout?: number;
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
  name: string;
  expected?: unknown;
  actual?: unknown;
}

export interface Verdict {
  pass: boolean;
  /** The "Received:" line: what was found instead, or which event matched. */
  received: string;
}

export interface MatcherSpec {
  name: string;
  /** How the receiver is shown in the header: `expect(recording)`. */
  receiverLabel: string;
  /** The arguments as shown in the header and the "Expected:" line. */
  expected: string;
  timeout: number | undefined;
  evaluate(): Verdict;
  /** The block after the summary: what was recorded, received, seen. */
  details(): string;
  /** Calls back on every change; without it the receiver is static and checked once. */
  subscribe?(onChange: () => void): () => void;
  onAbort?(listener: (error: Error) => void): () => void;
  /** The value shown as `actual` to reporters. */
  actual?(): unknown;
  /** An error to throw at once, before any wait: the browser lacks what the matcher waits for. */
  unsupported?(): Promise<Error | undefined>;
}

/**
 * The one waiting engine behind every matcher: evaluates, then re-evaluates on each change of
 * the receiver until the verdict is the wanted one (`pass`, or not, under `.not`) or the deadline
 * passes. The deadline is `options.timeout ?? this.timeout`, as in Playwright's own matchers.
 */
export async function runMatcher(state: MatcherState, spec: MatcherSpec): Promise<MatcherResult> {
  const isNot = state.isNot ?? false;
  const timeout = assertTimeout(spec.timeout, `${spec.receiverLabel}.${spec.name}()`) ?? state.timeout ?? DEFAULT_TIMEOUT;
  const unsupported = await spec.unsupported?.();
  if (unsupported) throw unsupported;
  let verdict = spec.evaluate();
  let abortedBy: Error | undefined;
  if (verdict.pass === isNot && spec.subscribe) {
    verdict = await new Promise<Verdict>((resolve) => {
      let current = verdict;
      const cleanups: Array<() => void> = [];
      const finish = () => {
        clearTimeout(timer);
        for (const cleanup of cleanups.splice(0)) cleanup();
        resolve(current);
      };
      const timer = timeout > 0 ? setTimeout(finish, timeout) : undefined;
      // Events come in bursts: evaluate once per burst, not once per event.
      let scheduled: ReturnType<typeof setImmediate> | undefined;
      cleanups.push(
        spec.subscribe!(() => {
          scheduled ??= setImmediate(() => {
            scheduled = undefined;
            current = spec.evaluate();
            if (current.pass !== isNot) finish();
          });
        }),
        () => scheduled && clearImmediate(scheduled),
      );
      if (spec.onAbort) {
        cleanups.push(
          spec.onAbort((error) => {
            abortedBy = error;
            current = spec.evaluate();
            finish();
          }),
        );
      }
    });
  }
  const header = `${spec.receiverLabel}${isNot ? '.not' : ''}.${spec.name}(${spec.expected}) failed`;
  const waited = spec.subscribe ? [`Timeout: ${timeout}ms`] : [];
  const message = () =>
    [
      header,
      '',
      `Expected: ${isNot ? 'not ' : ''}${spec.expected}`,
      `Received: ${verdict.received}`,
      ...waited,
      ...(abortedBy ? [`Stopped early: ${abortedBy.message}`] : []),
      '',
      spec.details(),
    ].join('\n');
  return { pass: verdict.pass, message, name: spec.name, expected: spec.expected, actual: spec.actual?.() };
}

/** The verdict over the messages a service received: the first that matches, or how many did not. */
export function firstMessageVerdict<T>(messages: readonly T[], matches: (message: T) => boolean): Verdict {
  const index = messages.findIndex(matches);
  if (index >= 0) return { pass: true, received: `message #${index + 1} matches` };
  return { pass: false, received: messages.length ? `${messages.length} message(s), none matching` : 'no messages' };
}

/** The engine's hooks for an event source: its changes, its end, and what it recorded. */
export function eventSourceHooks(
  source: RecordedEventSource,
  awaited: { filters: readonly { service?: unknown; eventName?: unknown }[]; call: string },
): Pick<MatcherSpec, 'subscribe' | 'onAbort' | 'details' | 'actual' | 'unsupported'> {
  return {
    unsupported: async () => source.unsupported?.(awaited.filters, awaited.call),
    subscribe: source.subscribe?.bind(source),
    onAbort: source.onAbort?.bind(source),
    details: () => formatEventList(source.view?.() ?? source.events, { dropped: source.droppedEvents, firstNumber: (source.viewDropped?.() ?? 0) + 1 }),
    actual: () => (source.view?.() ?? source.events).length,
  };
}

/** A matcher's options: none, or an object (`null` or a number there is a mistake worth naming). */
export function matcherOptions<T extends object>(options: T | undefined, call: string): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new BackgroundServicesError(`${call}: options must be an object such as { timeout: 5000 }, got ${describeType(options)}.`);
  }
  return options;
}

/** The error for a receiver a matcher cannot read: what it takes, and what it got. */
export function wrongReceiver(matcher: string, expected: string, received: unknown): BackgroundServicesError {
  return new BackgroundServicesError(`expect(received).${matcher}(): received must be ${expected}, got ${received === null ? 'null' : typeof received}.`);
}

// A saved array asserted on many times is parsed once; a changed length or end re-parses it.
const parsedArrays = new WeakMap<readonly unknown[], { length: number; first: unknown; last: unknown; source: RecordedEventSource }>();

/** Matchers accept a live recording, or saved events (DevTools' "Save events" array). */
export function toEventSource(received: unknown, matcher: string, parse: (value: unknown) => RecordedEvent[]): RecordedEventSource {
  if (typeof received === 'object' && received !== null && 'events' in received && !Array.isArray(received)) {
    const source = received as RecordedEventSource;
    // A live recording (it has the internal view()) reads its own events; any other object's are checked.
    if (typeof source.view === 'function') return source;
    if (Array.isArray(source.events)) {
      assertRecordedEvents(source.events, `expect(recording).${matcher}()`);
      return source;
    }
  }
  if (Array.isArray(received)) {
    const cached = parsedArrays.get(received);
    if (cached?.length === received.length && cached.first === received[0] && cached.last === received[received.length - 1]) return cached.source;
    const events = parse(received);
    const source: RecordedEventSource = { events, view: () => events };
    parsedArrays.set(received, { length: received.length, first: received[0], last: received[received.length - 1], source });
    return source;
  }
  throw wrongReceiver(matcher, `a recording from recordBackgroundService() or an array of saved events (DevTools' "Save events" JSON)`, received);
}
