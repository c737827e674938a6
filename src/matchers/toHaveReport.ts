import { assertReportFilter, formatReportFilter, matchesReportFilter, type ReportFilter } from '../reporting/filter.js';
import { isReportingWatcher } from '../reporting/watcher.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState } from './engine.js';

export interface ReportMatcherOptions {
  /** Milliseconds to wait; defaults to the expect timeout. */
  timeout?: number;
}

/**
 * Passes once the browser has a report that matches (and has now the filter's `status`, if
 * given). With `.not`, passes as soon as none does.
 *
 * @example
 * await expect(reportingApi).toHaveReport({ type: 'deprecation', status: 'Success' });
 */
export async function toHaveReport(
  this: MatcherState,
  received: unknown,
  filter: ReportFilter,
  options: ReportMatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveReport';
  if (!isReportingWatcher(received)) {
    throw wrongReceiver(name, 'the reportingApi fixture (a ReportingWatcher)', received);
  }
  assertReportFilter(filter, `expect(reportingApi).${name}()`);
  const watcher = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(reportingApi)',
    expected: formatReportFilter(filter),
    timeout: options.timeout,
    evaluate: () => {
      const reports = watcher.reports;
      const index = reports.findIndex((r) => matchesReportFilter(r, filter) && (filter.status === undefined || r.status === filter.status));
      if (index >= 0) return { pass: true, received: `report #${index + 1} matches` };
      return { pass: false, received: reports.length ? `${reports.length} report(s), none matching` : 'no reports' };
    },
    subscribe: (onChange) => watcher.subscribe(onChange),
    subscribeAbort: (onAbort) => watcher.onAbort(onAbort),
    details: () => watcher.describe(),
    actual: () => watcher.reports.length,
  });
}
