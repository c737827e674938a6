import { formatReceived, isReportCollector } from '../reporting/collector.js';
import { assertReportFilter, formatReportFilter, matchesReportFilter, type ReportFilter } from '../reporting/filter.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState } from './engine.js';

export interface ReceivedReportMatcherOptions {
  /** Milliseconds to wait; defaults to the expect timeout. */
  timeout?: number;
}

/**
 * Passes once the collector received a report that matches. With `.not`, passes as soon as it
 * has none (assert it after what would have caused the report).
 *
 * @example
 * await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', body: { effectiveDirective: 'script-src-elem' } });
 */
export async function toHaveReceivedReport(
  this: MatcherState,
  received: unknown,
  filter: Omit<ReportFilter, 'status'>,
  options: ReceivedReportMatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveReceivedReport';
  if (!isReportCollector(received)) {
    throw wrongReceiver(name, 'the reportCollector fixture', received);
  }
  assertReportFilter(filter, `expect(reportCollector).${name}()`, false);
  const collector = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(reportCollector)',
    expected: formatReportFilter(filter),
    timeout: options.timeout,
    evaluate: () => {
      const reports = collector.reports;
      const index = reports.findIndex((r) => matchesReportFilter(r, filter));
      if (index >= 0) return { pass: true, received: `report #${index + 1} matches` };
      return { pass: false, received: reports.length ? `${reports.length} report(s) received, none matching` : 'no reports received' };
    },
    subscribe: (onChange) => collector.subscribe(onChange),
    details: () => formatReceived(collector.reports),
    actual: () => collector.reports.length,
  });
}
