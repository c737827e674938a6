export { test, expect, backgroundServicesFixtures } from './fixtures.js';
export type {
  BackgroundServicesFixtures,
  BackgroundServicesOptions,
  BackgroundServicesTestOptions,
  BackgroundServicesWorkerOptions,
  RecordBackgroundService,
} from './fixtures.js';
export { BackgroundServices, createBackgroundServices, type BackgroundServicesOptions as CreateBackgroundServicesOptions } from './backgroundServices.js';
export { BackgroundServiceRecording, isRecording, type RecordOptions, type WaitForEventOptions, type EventSource } from './background-services/recording.js';
export * from './matchers/index.js';
export { backgroundServiceMatchers } from './matchers/backgroundServiceMatchers.js';
export {
  ReportCollector,
  ReportCollectorServer,
  startReportCollector,
  type ReceivedReport,
  type CollectorBehavior,
  type RejectedUpload,
  type PageHeaders,
} from './reporting/collector.js';
export { ReportingWatcher, WatchedReport, type ReportingEndpoint, type StatusChange } from './reporting/watcher.js';
export { REPORT_STATUSES, type ReportFilter, type ReportStatus, type BodyMatch } from './reporting/filter.js';
export { loadRecording, type SavedRecording } from './evidence/load.js';
export { parseSavedEvents, formatEventList, type BackgroundServiceEvent, type RecordedEvent } from './background-services/events.js';
export { formatFilter, matchesFilter, type EventFilter, type TextMatch } from './background-services/filter.js';
export { SERVICES, SERVICE_TITLES, type ServiceName } from './background-services/services.js';
export { BACKGROUND_SERVICE_PERMISSIONS, type PermissionType } from './background-services/permissions.js';
export { resolveChromiumExecutable, CHROMIUM_ENV_VARS, type ResolveChromiumOptions } from './cdp/browser.js';
export type { ServiceWorkerRegistrationInfo } from './background-services/serviceWorkers.js';
export {
  testBackForwardCache,
  goBack,
  formatReasons,
  REASON_TYPE_TITLES,
  type BackForwardCacheResult,
  type BackForwardCacheOptions,
  type NotRestoredReason,
  type NotRestoredReasonName,
  type NotRestoredReasonType,
} from './bfcache/bfcache.js';
export {
  bounceTrackingSupport,
  forceBounceTrackingMitigations,
  recordBounceTrackingIssues,
  BounceTrackingIssues,
  type BounceTrackingSupport,
  type BounceTrackingIssue,
  type ForceRunOptions,
  type ForceRunResult,
} from './bounce-tracking/bounceTracking.js';
export { renderTimeline, type TimelineInput, type TimelineReport, type TimelineEndpoint, type TimelineBackForwardCache } from './evidence/timeline.js';
export type {
  PushOutcome,
  SyncOutcome,
  PeriodicSyncOutcome,
  TriggerPushOptions,
  TriggerSyncOptions,
  TriggerPeriodicSyncOptions,
  TriggerTarget,
} from './background-services/triggers.js';
export {
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  MissingCommandError,
  TargetClosedError,
  UnsupportedBrowserError,
} from './cdp/errors.js';
