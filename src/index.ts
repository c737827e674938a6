// The package root: what the README and docs/ document, and nothing else (etc/ holds the API
// report that CI compares with the build). What only this repository's tests and scripts use is
// in ./internal.ts, reachable as `#internal` from inside the repository only.
export { test, expect, backgroundServicesFixtures } from './fixtures/index.js';
export type { BackgroundServicesFixtures, BackgroundServicesOptions } from './fixtures/index.js';
export { createBackgroundServices, type BackgroundServices } from './backgroundServices.js';
export type { MatcherOptions } from './matchers/engine.js';

// Background Services pane
export { EVENT_CATALOGUE, type EventName } from './background-services/catalogue.js';
export { SERVICES, type ServiceName } from './background-services/services.js';
export type { RecordedEvent } from './background-services/events.js';
export type { EventFilter } from './background-services/filter.js';
export type { BackgroundServiceRecording } from './background-services/recording.js';
export type { PushOutcome, SyncOutcome, PeriodicSyncOutcome } from './background-services/triggers.js';
export { openStoredRecording, exportStoredEvents, storedRecordingExpiry, type StoredRecording } from './background-services/storedRecording.js';

// Reporting API pane
export { startReportCollector, type ReportCollector, type ReceivedReport } from './reporting/collector.js';
export type { ReportingWatcher, WatchedReport } from './reporting/watcher.js';
export type { ReportFilter, ReportStatus } from './reporting/filter.js';

// Push messaging: a local Web Push service
export { startPushService, type PushService, type PushMessage } from './push/service.js';

// Firebase Cloud Messaging: a local stand-in
export type { FcmStandIn } from './fcm/standIn.js';

// Back/forward cache, bounce tracking
export { testBackForwardCache, goBack, type BackForwardCacheResult, type NotRestoredReason } from './bfcache/bfcache.js';
export {
  bounceTrackingSupport,
  forceBounceTrackingMitigations,
  recordBounceTrackingIssues,
  type BounceTrackingIssues,
  type BounceTrackingSupport,
  type ForceRunResult,
} from './bounce-tracking/bounceTracking.js';

// Notifications on the desktop
export { startDesktopNotifications, type DesktopNotifications } from './notifications/desktop.js';
export type { DesktopNotification } from './notifications/notification.js';
export { getOpenNotifications } from './notifications/open.js';

// What the browser supports, what a test saw, and the errors
export { probeBackgroundServicesSupport, type BackgroundServicesSupport, type Feature } from './support/probe.js';
export { loadRecording, type SavedRecording } from './evidence/load.js';
export { renderTimeline } from './evidence/timeline.js';
export {
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  PageCrashedError,
  TargetClosedError,
  UnsupportedBrowserError,
  UnsupportedFeatureError,
} from './cdp/errors.js';

// Every other type the API takes or returns, by name: `Types.FcmMessage` (src/types.ts).
export type * as Types from './types.js';
