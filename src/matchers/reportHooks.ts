import { formatReportFilter, type ReportFilter } from '../reporting/filter.js';
import type { MatcherSpec } from './engine.js';

/** A list of reports that grows: the collector's, or the browser's (reportingApi). */
interface ReportSource<R> {
  readonly reports: readonly R[];
  subscribe(onChange: () => void): () => void;
}

/**
 * What the two report matchers share: the header, and the verdict (the first matching report,
 * or how many there were; `seen` qualifies them, e.g. " received").
 */
export function reportHooks<R>(
  source: ReportSource<R>,
  receiverLabel: string,
  filter: ReportFilter,
  matches: (report: R) => boolean,
  seen: string,
): Pick<MatcherSpec, 'receiverLabel' | 'expected' | 'evaluate' | 'subscribe' | 'actual'> {
  return {
    receiverLabel,
    expected: formatReportFilter(filter),
    evaluate: () => {
      const index = source.reports.findIndex(matches);
      if (index >= 0) return { pass: true, received: `report #${index + 1} matches` };
      const count = source.reports.length;
      return { pass: false, received: count ? `${count} report(s)${seen}, none matching` : `no reports${seen}` };
    },
    subscribe: (onChange) => source.subscribe(onChange),
    actual: () => source.reports.length,
  };
}
