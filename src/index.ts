// The package root: what a spec calls and the types it names. Helpers used only inside the
// library stay unexported (see src/README.md for the folder map).
//
// Controller method or free function: a feature that needs the page's long-lived CDP session
// (its PageSession, the event hub, the recordings, the service worker registry, the Reporting
// API watcher) is a method of BackgroundServices; a one-shot feature that opens and closes its
// own session (testBackForwardCache, forceBounceTrackingMitigations, …) is a free function
// taking a Page.
export { test, expect, backgroundServicesFixtures } from './fixtures/index.js';
export type {
  BackgroundServicesFixtures,
  BackgroundServicesOptions,
  BackgroundServicesTestOptions,
  BackgroundServicesWorkerOptions,
  BackgroundServicesWorkerFixtures,
  RecordBackgroundService,
} from './fixtures/index.js';
export { createBackgroundServices, type BackgroundServices, type CreateBackgroundServicesOptions } from './backgroundServices.js';
export * from './matchers/index.js';
export { backgroundServiceMatchers } from './matchers/backgroundServiceMatchers.js';
export * from './background-services/index.js';
export * from './reporting/index.js';
export * from './push/index.js';
export * from './bfcache/index.js';
export * from './bounce-tracking/index.js';
export * from './evidence/index.js';
export * from './cdp/index.js';
export * from './support/index.js';
export * from './notifications/index.js';
