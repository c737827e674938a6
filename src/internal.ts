// What this repository's own tests, scripts and benchmarks need beyond the public API, and nothing
// else. Built to dist/internal.js and mapped as `#internal` in package.json's "imports": a user's
// code cannot import it (no "exports" entry), and it is not part of the API report.
export { chooseChromium, describeChoice, resolveChromiumExecutable } from './cdp/browser.js';
export { FEATURES, FEATURE_TITLES, createSupportProbe } from './support/probe.js';
export { BACKGROUND_SERVICE_PERMISSIONS } from './background-services/permissions.js';
export { EVENT_CATALOGUE_NOTES } from './background-services/catalogue.js';
export { parseSavedEvents, type BackgroundServiceEvent } from './background-services/events.js';
export { ReportCollectorServer, type PageHeaders } from './reporting/collector.js';
export type { RecordBackgroundService } from './fixtures/options.js';
export { ServiceWorkerRegistry } from './background-services/serviceWorkers.js';
export { FcmServer } from './fcm/server.js';
export { FcmStandIn } from './fcm/standIn.js';
export { PushServiceServer } from './push/service.js';
export { FCM_HOSTS, redirectFcmHosts, redirectPreloadScript } from './fcm/redirect.js';
export { checkBrowserOptions, checkContextOptions, checkPrivateFixturesRegistered, SUPPORTED_PLAYWRIGHT } from './fixtures/playwrightInternals.js';
export { UnsupportedPlaywrightError } from './cdp/errors.js';
export { FcmProxy, noProxyList } from './fcm/proxy.js';
export { ServiceWorkerClock } from './clock/serviceWorkerClock.js';
