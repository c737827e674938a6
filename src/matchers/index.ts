import { toHaveRecordedEvent } from './toHaveRecordedEvent.js';
import { toHaveRecordedEvents } from './toHaveRecordedEvents.js';
import { toHaveReportStatus } from './toHaveReportStatus.js';
import { toHaveReport } from './toHaveReport.js';
import { toHaveReceivedReport } from './toHaveReceivedReport.js';
import { toMatchRecording } from './toMatchRecording.js';
import { toBeRestoredFromBackForwardCache } from './toBeRestoredFromBackForwardCache.js';
import { toHaveNotRestoredReason } from './toHaveNotRestoredReason.js';

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
};
export type { BackForwardCacheMatcherOptions } from './toBeRestoredFromBackForwardCache.js';
export type { MatchRecordingOptions, RecordingIgnore } from './toMatchRecording.js';
export type { ReportStatusMatcherOptions } from './toHaveReportStatus.js';
export type { ReportMatcherOptions } from './toHaveReport.js';
export type { ReceivedReportMatcherOptions } from './toHaveReceivedReport.js';
export type { RecordedEventMatcherOptions } from './toHaveRecordedEvent.js';
export type { RecordedEventsMatcherOptions } from './toHaveRecordedEvents.js';
export type { MatcherResult, MatcherState } from './engine.js';
