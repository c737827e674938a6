import { formatReceived, isReportCollector } from '../reporting/collector.js';
import { assertReportFilter, matchesReportFilter, type ReportFilter } from '../reporting/filter.js';
import { reportHooks } from './reportHooks.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

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
