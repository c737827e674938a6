// One line per matcher: each file exports the matcher function and its options type. The
// `expect.extend()` object and the `declare module 'expect'` signatures are derived from this list
// (backgroundServiceMatchers.ts, which also holds each matcher's hover doc: one member there).
export * from './toHaveRecordedEvent.js';
export * from './toHaveRecordedEvents.js';
export * from './toHaveReportStatus.js';
export * from './toHaveReport.js';
export * from './toHaveReceivedReport.js';
export * from './toHaveReceivedPush.js';
export * from './toMatchRecording.js';
export * from './toBeRestoredFromBackForwardCache.js';
export * from './toHaveNotRestoredReason.js';
export * from './toHaveDeletedSites.js';
export * from './toHaveFlaggedBounceTracker.js';
export * from './toHaveShownNotification.js';
export * from './toHaveReceivedMessage.js';
export * from './toHaveServiceWorker.js';
