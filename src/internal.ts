// What this repository's own tests, scripts and benchmarks need beyond the public API. Built to
// dist/internal.js and mapped as `#internal` in package.json's "imports": a user's code cannot
// import it (no "exports" entry), and it is not part of the API report.
export { chooseChromium, describeChoice, resolveChromiumExecutable } from './cdp/browser.js';
export { MissingCommandError } from './cdp/errors.js';
export { FEATURES, FEATURE_TITLES, supportProbe, type FeatureSupport } from './support/probe.js';
export { BACKGROUND_SERVICE_PERMISSIONS } from './background-services/permissions.js';
export { EVENT_CATALOGUE_NOTES, type MetadataKey } from './background-services/catalogue.js';
export { parseSavedEvents, type BackgroundServiceEvent } from './background-services/events.js';
export type { PageHeaders } from './reporting/collector.js';
export type { OpenNotification } from './notifications/open.js';
export type { RecordBackgroundService } from './fixtures/options.js';
export { ReportCollectorServer } from './reporting/collector.js';
export { PushServiceServer } from './push/service.js';
