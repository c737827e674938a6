import { formatReceived, isReportCollector } from '../reporting/collector.js';
import { assertReportFilter, matchesReportFilter, type ReportFilter } from '../reporting/filter.js';
import { reportHooks } from './reportHooks.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

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
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveReceivedReport';
  const opts = matcherOptions(options, `expect(reportCollector).toHaveReceivedReport()`);
  if (!isReportCollector(received)) {
    throw wrongReceiver(name, 'the reportCollector fixture', received);
  }
  assertReportFilter(filter, `expect(reportCollector).${name}()`, false);
  const collector = received;
  return runMatcher(this, {
    name,
    timeout: opts.timeout,
    ...reportHooks(collector, 'expect(reportCollector)', filter, (r) => matchesReportFilter(r, filter), ' received'),
    details: () => formatReceived(collector.reports),
  });
}
