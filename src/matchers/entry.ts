/**
 * The matchers alone, without Playwright: for the standalone `expect` package (Jest, Vitest,
 * node:test) and saved recordings.
 * @example
 * import { expect } from 'expect';
 * import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';
 * expect.extend(backgroundServiceMatchers);
 * await expect(await loadRecording('push.json')).toHaveRecordedEvent({ eventName: 'Push event completed' });
 */
import type {} from 'expect';
import type { Expect } from '@playwright/test';
// The declarations reach the package root by its name (external to the .d.ts build, tsup.config.ts),
// so that the two entries share no chunk: its hashed name changed with its content.
import type * as Root from 'playwright-background-services';
import { backgroundServiceMatchers as matchers } from './backgroundServiceMatchers.js';
import { loadRecording as load } from '../evidence/load.js';

export type { SavedRecording, MatcherOptions, RecordedEvent, EventFilter, EventName, ServiceName, ReportStatus } from 'playwright-background-services';

type BackgroundServiceMatchers = typeof Root.expect extends Expect<infer M> ? M : never;

/** Every matcher, for `expect.extend()`. */
export const backgroundServiceMatchers: BackgroundServiceMatchers = matchers;

/**
 * Reads DevTools' "Save events" JSON (a path, a string or a parsed array) for the matchers.
 * @example
 * const saved = await loadRecording('push.json');
 */
export const loadRecording: typeof Root.loadRecording = load;

// The root's `expect` has two call signatures: matched pairwise from the last, `A` is the first's
// result: the matchers as `expect(received)` shows them, generic where `service` narrows `eventName`.
type BackgroundServiceMatcherSignatures = typeof Root.expect extends { (a: never): infer A; (a: never): unknown }
  ? Pick<A, keyof A & keyof BackgroundServiceMatchers>
  : never;

declare module 'expect' {
  // The augmentation must repeat expect's own parameters, and adds its members through the base type.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends BackgroundServiceMatcherSignatures {}
}
