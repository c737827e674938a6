import { formatEventList, type RecordedEvent } from '../events.js';
import type { EventSource } from '../recording.js';
import { BackgroundServicesError } from '../errors.js';
import { assertTimeout } from '../wait.js';

/** The part of a matcher's `this` the engine reads: Playwright's and `expect`'s both have it. */
export interface MatcherState {
  isNot?: boolean;
  /** Playwright sets it from `expect.timeout` / `expect.configure({ timeout })`. */
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

export interface MatcherSpec<S extends EventSource = EventSource> {
  name: string;
  /** How the receiver is shown in the header: `expect(recording)`. */
  receiverLabel: string;
  /** The arguments as shown in the header and the "Expected:" line. */
  expected: string;
  source: S;
  timeout: number | undefined;
  evaluate(source: S): Verdict;
  /** The block after the summary; defaults to the recorded events. */
  details?(source: S): string;
  /** The value shown as `actual` to reporters. */
  actual?(source: S): unknown;
}

export const DEFAULT_EXPECT_TIMEOUT = 5000;

/**
 * The one waiting engine behind every matcher: evaluates, then re-evaluates on each change of
 * the source until the verdict is the wanted one (`pass`, or not, under `.not`) or the deadline
 * passes. The deadline is `options.timeout ?? this.timeout`, as in Playwright's own matchers.
 */
export async function runMatcher<S extends EventSource>(state: MatcherState, spec: MatcherSpec<S>): Promise<MatcherResult> {
  const isNot = state.isNot ?? false;
  const timeout = assertTimeout(spec.timeout, spec.name) ?? state.timeout ?? DEFAULT_EXPECT_TIMEOUT;
  let verdict = spec.evaluate(spec.source);
  let abortedBy: Error | undefined;
  if (verdict.pass === isNot && spec.source.subscribe) {
    verdict = await new Promise<Verdict>((resolve) => {
      let current = verdict;
      const cleanups: Array<() => void> = [];
      const finish = () => {
        clearTimeout(timer);
        for (const cleanup of cleanups.splice(0)) cleanup();
        resolve(current);
      };
      const timer = timeout > 0 ? setTimeout(finish, timeout) : undefined;
      cleanups.push(
        spec.source.subscribe!(() => {
          current = spec.evaluate(spec.source);
          if (current.pass !== isNot) finish();
        }),
      );
      if (spec.source.subscribeAbort) {
        cleanups.push(
          spec.source.subscribeAbort((error) => {
            abortedBy = error;
            current = spec.evaluate(spec.source);
            finish();
          }),
        );
      }
    });
  }
  const header = `${spec.receiverLabel}${isNot ? '.not' : ''}.${spec.name}(${spec.expected}) failed`;
  const waited = spec.source.subscribe ? [`Timeout: ${timeout}ms`] : [];
  const message = () =>
    [
      header,
      '',
      `Expected: ${isNot ? 'not ' : ''}${spec.expected}`,
      `Received: ${verdict.received}`,
      ...waited,
      ...(abortedBy ? [`Stopped early: ${abortedBy.message}`] : []),
      '',
      spec.details ? spec.details(spec.source) : formatEventList(spec.source.events),
    ].join('\n');
  return {
    pass: verdict.pass,
    message,
    name: spec.name,
    expected: spec.expected,
    actual: spec.actual ? spec.actual(spec.source) : spec.source.events.length,
  };
}

/** Matchers accept a live recording, or saved events (DevTools' "Save events" array). */
export function toEventSource(received: unknown, matcher: string, parse: (value: unknown) => RecordedEvent[]): EventSource {
  if (typeof received === 'object' && received !== null && 'events' in received && !Array.isArray(received)) {
    const source = received as EventSource;
    if (Array.isArray(source.events)) return source;
  }
  if (Array.isArray(received)) {
    return { events: parse(received) };
  }
  throw new BackgroundServicesError(
    `expect(received).${matcher}(): received must be a recording from recordBackgroundService() or an array of saved events ` +
      `(DevTools' "Save events" JSON), got ${received === null ? 'null' : typeof received}.`,
  );
}
