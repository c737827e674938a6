// `Types`, exported by the root as `export type * as Types`: every type that the root's exports take or
// return and that the root does not name itself (the root holds at most 60 names). Users write
// `Types.FcmMessage`; API Extractor's ae-forgotten-export (an error) fails `npm run api:check` when a
// type is missing here. Types only: nothing here exists at run time.

// The fixtures, the controller and the matchers
export type {
  BackgroundServicesTestOptions,
  BackgroundServicesWorkerFixtures,
  BackgroundServicesWorkerOptions,
  RecordBackgroundService,
} from './fixtures/options.js';
export type { CreateBackgroundServicesOptions } from './backgroundServices.js';
export type { BackgroundServiceMatchers, BackgroundServicesExpect, Matcher, MatcherSignatures } from './matchers/backgroundServiceMatchers.js';
export type { MatcherResult, MatcherState } from './matchers/engine.js';
export type { RecordedEventsOptions } from './matchers/toHaveRecordedEvents.js';
export type { MatchRecordingOptions, RecordingIgnore } from './matchers/toMatchRecording.js';
export type { ServiceWorkerFilter } from './matchers/toHaveServiceWorker.js';

// Background Services pane (the catalogue's parts: what the filter types derive from)
export type {
  BackgroundFetchEvents,
  BackgroundSyncEvents,
  DeepReadonly,
  Digit,
  EventCatalogue,
  Events,
  ExpandKey,
  FetchFailureReason,
  KeysOf,
  Merchant,
  MetadataFilter,
  MetadataSpecOf,
  Methods,
  Modifiers,
  NextDelay,
  NoMetadata,
  NotificationEvents,
  PaymentHandlerEvents,
  PaymentResponseType,
  PeriodicBackgroundSyncEvents,
  PushMessagingEvents,
  SyncStatus,
  TrueFalse,
  ValueAcross,
  ValueOf,
  YesNo,
} from './background-services/catalogue.js';
export type { BackgroundServiceEvent } from './background-services/events.js';
export type {
  EventFilterFields,
  KnownEventFilter,
  PatternEventFilter,
  TextMatch,
  UnlistedEventFilter,
  UnlistedEventName,
} from './background-services/filter.js';
export type { RecordedEventSource, RecordOptions, WaitForEventOptions } from './background-services/recording.js';
export type { OpenStoredRecordingOptions } from './background-services/storedRecording.js';
export type { TriggerOutcome, TriggerPeriodicSyncOptions, TriggerPushOptions, TriggerSyncOptions, TriggerTarget } from './background-services/triggers.js';
export type { PermissionType } from './background-services/permissions.js';
export type { ServiceWorkerRegistrationInfo, ServiceWorkerVersionInfo } from './background-services/serviceWorkers.js';
export type { ServiceWorkerPane, ServiceWorkerUpdate } from './background-services/serviceWorkerPane.js';

// Reporting API pane
export type { ReportingEndpoint, StatusChange } from './reporting/watcher.js';
export type { BodyMatch, ReportLike } from './reporting/filter.js';
export type { CollectorBehavior, PageHeaders, RejectedUpload } from './reporting/collector.js';

// Push messaging, Firebase Cloud Messaging
export type { PushDeliveryTarget, PushMessageState, PushServiceSubscription, PushUrgency, RefusedPush, StartPushServiceOptions } from './push/service.js';
export type { PushMessageFilter } from './push/filter.js';
export type { VapidClaims } from './push/vapid.js';
export type { FcmMessage, FcmMessageState, FcmRefusal, FcmToken } from './fcm/standIn.js';
export type { FcmMessageFilter } from './fcm/filter.js';
export type { FcmTarget } from './fcm/message.js';

// Back/forward cache, bounce tracking, notifications, support, evidence
export type { BackForwardCacheOptions, NotRestoredReasonName, NotRestoredReasonType } from './bfcache/bfcache.js';
export type { BounceTrackingIssue, ForceRunOptions } from './bounce-tracking/bounceTracking.js';
export type { ClickNotificationTarget, DesktopNotificationFilter, NotificationTarget } from './notifications/filter.js';
export type { NotificationClosedBy, NotificationUrgency } from './notifications/notification.js';
export type { OpenNotification } from './notifications/open.js';
export type { StartDesktopNotificationsOptions } from './notifications/desktop.js';
export type { BrowserIdentity, FeatureSupport, SupportProbe } from './support/probe.js';
export type { TimelineBackForwardCache, TimelineEndpoint, TimelineInput, TimelineReport, TimelineStep } from './evidence/timeline.js';
