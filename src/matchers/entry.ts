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
import type { EventFilter } from '../background-services/filter.js';
import type { RecordedEventMatcherOptions, RecordedEventsMatcherOptions, ReportStatusMatcherOptions, ReportMatcherOptions, ReceivedReportMatcherOptions, MatchRecordingOptions, BackForwardCacheMatcherOptions, DeletedSitesMatcherOptions, FlaggedBounceTrackerMatcherOptions } from './index.js';
import type { NotRestoredReasonName } from '../bfcache/bfcache.js';
import type { RecordedEvent } from '../background-services/events.js';
import type { ReportFilter, ReportStatus } from '../reporting/filter.js';

export * from './index.js';
export { loadRecording, type SavedRecording } from '../evidence/load.js';
export { parseSavedEvents, type BackgroundServiceEvent } from '../background-services/events.js';
export type { RecordedEvent } from '../background-services/events.js';
export type { EventFilter, TextMatch } from '../background-services/filter.js';
export { SERVICES, type ServiceName } from '../background-services/services.js';

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    toHaveRecordedEvent(filter: EventFilter, options?: RecordedEventMatcherOptions): Promise<R>;
    toHaveRecordedEvents(filters: readonly EventFilter[], options?: RecordedEventsMatcherOptions): Promise<R>;
    toHaveReportStatus(status: ReportStatus, options?: ReportStatusMatcherOptions): Promise<R>;
    toHaveReport(filter: ReportFilter, options?: ReportMatcherOptions): Promise<R>;
    toHaveReceivedReport(filter: Omit<ReportFilter, 'status'>, options?: ReceivedReportMatcherOptions): Promise<R>;
    toBeRestoredFromBackForwardCache(options?: BackForwardCacheMatcherOptions): Promise<R>;
    toHaveNotRestoredReason(reason: NotRestoredReasonName, options?: BackForwardCacheMatcherOptions): Promise<R>;
    toHaveDeletedSites(sites: readonly string[], options?: DeletedSitesMatcherOptions): Promise<R>;
    toHaveFlaggedBounceTracker(site: string, options?: FlaggedBounceTrackerMatcherOptions): Promise<R>;
    toMatchRecording(saved: string | readonly unknown[] | { events: readonly RecordedEvent[] }, options?: MatchRecordingOptions): Promise<R>;
  }
}
