import { toHaveRecordedEvent } from './toHaveRecordedEvent.js';
import { toHaveRecordedEvents } from './toHaveRecordedEvents.js';
import { toHaveReportStatus } from './toHaveReportStatus.js';
import { toHaveReport } from './toHaveReport.js';
import { toHaveReceivedReport } from './toHaveReceivedReport.js';
import { toMatchRecording } from './toMatchRecording.js';
import { toBeRestoredFromBackForwardCache } from './toBeRestoredFromBackForwardCache.js';
import { toHaveNotRestoredReason } from './toHaveNotRestoredReason.js';
import { toHaveDeletedSites } from './toHaveDeletedSites.js';
import { toHaveFlaggedBounceTracker } from './toHaveFlaggedBounceTracker.js';

/** Every matcher of this library, for `expect.extend(backgroundServiceMatchers)`. */
export const backgroundServiceMatchers = {
  toHaveRecordedEvent,
  toHaveRecordedEvents,
  toHaveReportStatus,
  toHaveReport,
  toHaveReceivedReport,
  toMatchRecording,
  toBeRestoredFromBackForwardCache,
  toHaveNotRestoredReason,
  toHaveDeletedSites,
  toHaveFlaggedBounceTracker,
};

export {
  toHaveRecordedEvent,
  toHaveRecordedEvents,
  toHaveReportStatus,
  toHaveReport,
  toHaveReceivedReport,
  toMatchRecording,
  toBeRestoredFromBackForwardCache,
  toHaveNotRestoredReason,
  toHaveDeletedSites,
  toHaveFlaggedBounceTracker,
};
export type { DeletedSitesMatcherOptions } from './toHaveDeletedSites.js';
export type { FlaggedBounceTrackerMatcherOptions } from './toHaveFlaggedBounceTracker.js';
export type { BackForwardCacheMatcherOptions } from './toBeRestoredFromBackForwardCache.js';
export type { MatchRecordingOptions, RecordingIgnore } from './toMatchRecording.js';
export type { ReportStatusMatcherOptions } from './toHaveReportStatus.js';
export type { ReportMatcherOptions } from './toHaveReport.js';
export type { ReceivedReportMatcherOptions } from './toHaveReceivedReport.js';
export type { RecordedEventMatcherOptions } from './toHaveRecordedEvent.js';
export type { RecordedEventsMatcherOptions } from './toHaveRecordedEvents.js';
export type { MatcherResult, MatcherState } from './engine.js';
