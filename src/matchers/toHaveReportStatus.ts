import { assertReportStatus, type ReportStatus } from '../reporting/filter.js';
import { formatHistory, formatReport, isWatchedReport } from '../reporting/watcher.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveReportStatus(this: MatcherState, received: unknown, status: ReportStatus, options: MatcherOptions = {}): Promise<MatcherResult> {
  const name = 'toHaveReportStatus';
  const opts = matcherOptions(options, `expect(report).toHaveReportStatus()`);
  if (!isWatchedReport(received)) {
    throw wrongReceiver(name, 'a report from awaitReport() or reportingApi.reports', received);
  }
  assertReportStatus(status, `expect(report).${name}()`);
  const report = received;
  return runMatcher(this, {
    name,
    receiverLabel: 'expect(report)',
    expected: `'${status}'`,
    timeout: opts.timeout,
    evaluate: () => ({ pass: report.status === status, received: `'${report.status}' (${formatHistory(report.history)})` }),
    subscribe: (onChange) => report.watcher.subscribe(onChange),
    onAbort: (listener) => report.watcher.onAbort(listener),
    details: () => `Report:\n${formatReport(report, 0)}`,
    actual: () => report.status,
  });
}
