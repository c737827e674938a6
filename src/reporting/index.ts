// DevTools > Application > Reporting API: the browser's reports and endpoints, and a real
// HTTPS endpoint that receives them.
export { startReportCollector, type ReportCollector, type ReportCollectorServer, type ReceivedReport, type CollectorBehavior, type RejectedUpload, type PageHeaders } from './collector.js';
export type { ReportingWatcher, WatchedReport, ReportingEndpoint, StatusChange } from './watcher.js';
export type { ReportFilter, ReportStatus, BodyMatch } from './filter.js';
