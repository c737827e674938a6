// DevTools > Application > Background Services: the six services, their recordings, the
// triggers of the Service Workers pane, and the permissions they need.
export type { BackgroundServiceRecording, RecordOptions, WaitForEventOptions } from './recording.js';
export { parseSavedEvents, type BackgroundServiceEvent, type RecordedEvent } from './events.js';
export type { EventFilter, TextMatch, UnlistedEventName } from './filter.js';
export {
  EVENT_CATALOGUE,
  EVENT_CATALOGUE_NOTES,
  type EventName,
  type MetadataKey,
  type MetadataFilter,
  type MetadataValueSpec,
  type CatalogueEvent,
  type ServiceNotes,
} from './catalogue.js';
export { SERVICES, type ServiceName } from './services.js';
export { BACKGROUND_SERVICE_PERMISSIONS, type PermissionType } from './permissions.js';
export type { ServiceWorkerRegistrationInfo } from './serviceWorkers.js';
export type {
  PushOutcome,
  SyncOutcome,
  PeriodicSyncOutcome,
  TriggerPushOptions,
  TriggerSyncOptions,
  TriggerPeriodicSyncOptions,
  TriggerTarget,
} from './triggers.js';
export {
  openStoredRecording,
  exportStoredEvents,
  storedRecordingExpiry,
  type StoredRecording,
  type OpenStoredRecordingOptions,
} from './storedRecording.js';
