/**
 * The matchers alone, without Playwright: for the standalone `expect` package (Jest, Vitest,
 * node:test) and saved recordings.
 *
 * @example
 * import { expect } from 'expect';
 * import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';
 * expect.extend(backgroundServiceMatchers);
 * await expect(await loadRecording('push.json')).toHaveRecordedEvent({ eventName: 'Push event completed' });
 */
import type {} from 'expect';
import type { BackgroundServiceMatcherSignatures } from './backgroundServiceMatchers.js';

export { backgroundServiceMatchers } from './backgroundServiceMatchers.js';
export { loadRecording, type SavedRecording } from '../evidence/load.js';
export type { MatcherOptions } from './engine.js';
export type { RecordedEvent } from '../background-services/events.js';
export type { EventFilter } from '../background-services/filter.js';
export type { EventName } from '../background-services/catalogue.js';
export type { ServiceName } from '../background-services/services.js';
export type { ReportStatus } from '../reporting/filter.js';

declare module 'expect' {
  // The augmentation must repeat expect's own parameters, and adds its members through the base type.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends BackgroundServiceMatcherSignatures<R> {}
}
