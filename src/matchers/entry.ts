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

export * from './index.js';
export { backgroundServiceMatchers } from './backgroundServiceMatchers.js';
export { loadRecording, type SavedRecording } from '../evidence/load.js';
export { parseSavedEvents, type BackgroundServiceEvent } from '../background-services/events.js';
export type { RecordedEvent } from '../background-services/events.js';
export type { EventFilter, TextMatch, UnlistedEventName } from '../background-services/filter.js';
export { EVENT_CATALOGUE, type EventName, type MetadataKey, type MetadataFilter } from '../background-services/catalogue.js';
export { SERVICES, type ServiceName } from '../background-services/services.js';

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends BackgroundServiceMatcherSignatures<R> {}
}
