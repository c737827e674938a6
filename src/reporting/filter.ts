import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType } from '../background-services/events.js';
import { formatText, isTextMatch, type TextMatch } from '../background-services/filter.js';

/** The statuses DevTools' Reporting API pane shows. */
export type ReportStatus = 'Queued' | 'Pending' | 'Success' | 'MarkedForRemoval';
export const REPORT_STATUSES: readonly ReportStatus[] = ['Queued', 'Pending', 'Success', 'MarkedForRemoval'];

export interface ReportLike {
  type: string;
  url: string;
  destination: string;
  body: Record<string, unknown>;
}

export type BodyMatch = TextMatch | number | boolean | null;

/** What a report must look like: strings whole, RegExps anywhere. */
export interface ReportFilter {
  type?: TextMatch;
  url?: TextMatch;
  destination?: TextMatch;
  /** Reached (`awaitReport`) or current; the collector ignores it. */
  status?: ReportStatus;
  body?: Readonly<Record<string, BodyMatch>>;
}

const KEYS = ['type', 'url', 'destination', 'status', 'body'] as const;

export function assertReportStatus(value: unknown, call: string): ReportStatus {
  if (typeof value === 'string' && (REPORT_STATUSES as readonly string[]).includes(value)) return value as ReportStatus;
  throw new BackgroundServicesError(`${call}: unknown report status ${JSON.stringify(value)}. Expected one of: ${REPORT_STATUSES.join(', ')}.`);
}

export function assertReportFilter(filter: unknown, call: string, allowStatus = true): ReportFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(`${call}: expected a report filter such as { type: 'csp-violation' }, got ${describeType(filter)}.`);
  }
  const record = filter as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new BackgroundServicesError(`${call}: unknown report filter field '${key}'. Expected any of: ${KEYS.join(', ')}.`);
    }
  }
  for (const key of ['type', 'url', 'destination'] as const) {
    if (record[key] !== undefined && !isTextMatch(record[key])) {
      throw new BackgroundServicesError(`${call}: report filter field '${key}' must be a string or a RegExp, got ${describeType(record[key])}.`);
    }
  }
  if (record.status !== undefined) {
    if (!allowStatus)
      throw new BackgroundServicesError(
        `${call}: the collector only has delivered reports; 'status' applies to reports seen through the browser (awaitReport).`,
      );
    assertReportStatus(record.status, call);
  }
  if (record.body !== undefined && (typeof record.body !== 'object' || record.body === null || Array.isArray(record.body))) {
    throw new BackgroundServicesError(
      `${call}: report filter field 'body' must be an object such as { effectiveDirective: 'script-src-elem' }, got ${describeType(record.body)}.`,
    );
  }
  for (const [key, value] of Object.entries(record.body ?? {})) {
    // An object or array would be compared by identity and never match.
    if (!(isTextMatch(value) || typeof value === 'number' || typeof value === 'boolean' || value === null)) {
      throw new BackgroundServicesError(`${call}: body.${key} must be a string, a RegExp, a number, a boolean or null, got ${describeType(value)}.`);
    }
  }
  return filter;
}

function matchValue(expected: BodyMatch, actual: unknown): boolean {
  if (expected instanceof RegExp) {
    expected.lastIndex = 0;
    return actual !== undefined && expected.test(typeof actual === 'string' ? actual : JSON.stringify(actual));
  }
  return actual === expected;
}

/** Matches everything but `status`, which depends on when it is asked. */
export function matchesReportFilter(report: ReportLike, filter: ReportFilter): boolean {
  for (const key of ['type', 'url', 'destination'] as const) {
    const expected = filter[key];
    if (expected !== undefined && !matchValue(expected, report[key])) return false;
  }
  for (const [key, expected] of Object.entries(filter.body ?? {})) {
    // Own keys only: `toString` is no field of a report body.
    if (!Object.hasOwn(report.body, key) || !matchValue(expected, report.body[key])) return false;
  }
  return true;
}

export function formatReportFilter(filter: ReportFilter): string {
  const parts: string[] = [];
  for (const key of ['type', 'url', 'destination', 'status'] as const) {
    const value = filter[key];
    if (value !== undefined) parts.push(`${key}: ${formatText(value)}`);
  }
  const body = Object.entries(filter.body ?? {});
  if (body.length) parts.push(`body: { ${body.map(([k, v]) => `${k}: ${formatText(v)}`).join(', ')} }`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
