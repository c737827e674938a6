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

export * from './toHaveRecordedEvent.js';
export * from './toHaveRecordedEvents.js';
export * from './toHaveReportStatus.js';
export * from './toHaveReport.js';
export * from './toHaveReceivedReport.js';
export * from './toMatchRecording.js';
export * from './toBeRestoredFromBackForwardCache.js';
export * from './toHaveNotRestoredReason.js';
export * from './toHaveDeletedSites.js';
export * from './toHaveFlaggedBounceTracker.js';
export type { MatcherResult, MatcherState } from './engine.js';
