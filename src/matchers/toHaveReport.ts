import { assertReportFilter, matchesReportFilter, type ReportFilter } from '../reporting/filter.js';
import { isReportingWatcher } from '../reporting/watcher.js';
import { reportHooks } from './reportHooks.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';

export async function toHaveReport(this: MatcherState, received: unknown, filter: ReportFilter, options: MatcherOptions = {}): Promise<MatcherResult> {
  const name = 'toHaveReport';
  const opts = matcherOptions(options, `expect(reportingApi).toHaveReport()`);
  if (!isReportingWatcher(received)) {
    throw wrongReceiver(name, 'the reportingApi fixture (a ReportingWatcher)', received);
  }
  assertReportFilter(filter, `expect(reportingApi).${name}()`);
  const watcher = received;
  return runMatcher(this, {
    name,
    timeout: opts.timeout,
    ...reportHooks(
      watcher,
      'expect(reportingApi)',
      filter,
      (r) => matchesReportFilter(r, filter) && (filter.status === undefined || r.status === filter.status),
      '',
    ),
    onAbort: (listener) => watcher.onAbort(listener),
    details: () => watcher.describe(),
  });
}
