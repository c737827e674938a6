import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType, type RecordedEvent } from './events.js';
import { assertServiceName, SERVICES, type ServiceName } from './services.js';

/** A string matches exactly; a RegExp matches anywhere unless anchored. */
export type TextMatch = string | RegExp;

/**
 * What an event must look like. Every given field must match; omitted fields match anything.
 *
 * @example
 * const filter: EventFilter = { service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } };
 */
export interface EventFilter {
  service?: ServiceName;
  eventName?: TextMatch;
  instanceId?: TextMatch;
  /** With or without the trailing slash Chromium adds. */
  origin?: TextMatch;
  storageKey?: TextMatch;
  serviceWorkerRegistrationId?: TextMatch;
  /** Each key must be present with a matching value; other keys are ignored. */
  metadata?: Readonly<Record<string, TextMatch>>;
  /**
   * Whether to match events the browser had stored before the recording started.
   * Default: only events that happened during the recording (`false`); `undefined` in the
   * filter means that default, pass `true` to match only stored ones.
   */
  preexisting?: boolean;
}

const TEXT_FIELDS = ['eventName', 'instanceId', 'origin', 'storageKey', 'serviceWorkerRegistrationId'] as const;
const FILTER_KEYS = ['service', ...TEXT_FIELDS, 'metadata', 'preexisting'] as const;

/** A string or a RegExp: what event and report filters take for a text field. */
export function isTextMatch(value: unknown): value is TextMatch {
  return typeof value === 'string' || value instanceof RegExp;
}

/** The origin of a URL, or undefined for one without (`about:blank`, `data:`). */
export function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Chromium writes origins with a trailing slash; `http://localhost:3000` matches it too. */
export function sameOrigin(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/** Throws a clear error for a filter a user mistyped, instead of silently never matching. */
export function assertEventFilter(filter: unknown, where: string): EventFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(
      `${where}: expected an event filter object such as { service: 'pushMessaging', eventName: 'Push event completed' }, got ${describeType(filter)}.`,
    );
  }
  const record = filter as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new BackgroundServicesError(
        `${where}: unknown filter field '${key}'. Expected any of: ${FILTER_KEYS.join(', ')}.`,
      );
    }
  }
  if (record.service instanceof RegExp) {
    throw new BackgroundServicesError(
      `${where}: filter field 'service' takes a service name, not a RegExp (got ${String(record.service)}). Expected one of: ${SERVICES.join(', ')}; leave 'service' out to match every service, or match 'eventName' with a RegExp.`,
    );
  }
  if (record.service !== undefined) assertServiceName(record.service, where);
  for (const key of TEXT_FIELDS) {
    if (record[key] !== undefined && !isTextMatch(record[key])) {
      throw new BackgroundServicesError(`${where}: filter field '${key}' must be a string or a RegExp, got ${describeType(record[key])}.`);
    }
  }
  if (record.metadata !== undefined) {
    if (typeof record.metadata !== 'object' || record.metadata === null || Array.isArray(record.metadata)) {
      throw new BackgroundServicesError(
        `${where}: filter field 'metadata' must be an object such as { Status: 'Success' }, got ${describeType(record.metadata)}.`,
      );
    }
    for (const [key, value] of Object.entries(record.metadata)) {
      if (!isTextMatch(value)) {
        throw new BackgroundServicesError(`${where}: metadata.${key} must be a string or a RegExp, got ${describeType(value)}.`);
      }
    }
  }
  if (record.preexisting !== undefined && typeof record.preexisting !== 'boolean') {
    throw new BackgroundServicesError(`${where}: filter field 'preexisting' must be a boolean, got ${describeType(record.preexisting)}.`);
  }
  return filter as EventFilter;
}

export type EventPredicate = (event: RecordedEvent) => boolean;

type TextField = (typeof TEXT_FIELDS)[number];

/** A reader per field, so a predicate reads a named property rather than `event[key]`. */
const READ: Record<TextField, (event: RecordedEvent) => string> = {
  eventName: (event) => event.eventName,
  instanceId: (event) => event.instanceId,
  origin: (event) => event.origin,
  storageKey: (event) => event.storageKey,
  serviceWorkerRegistrationId: (event) => event.serviceWorkerRegistrationId,
};

function textTest(expected: TextMatch, origin = false): (actual: string) => boolean {
  if (typeof expected === 'string') {
    if (!origin) return (actual) => actual === expected;
    // sameOrigin()'s rule (one trailing slash off each side), without a new string per event.
    const bare = expected.replace(/\/$/, '');
    const slashed = `${bare}/`;
    if (bare.endsWith('/')) return (actual) => actual === slashed;
    return (actual) => actual === bare || actual === slashed;
  }
  return (actual) => {
    expected.lastIndex = 0;
    return expected.test(actual);
  };
}

function fieldTest(key: TextField, expected: TextMatch): EventPredicate {
  // The most common filter, an exact event name, without any indirection.
  if (key === 'eventName' && typeof expected === 'string') return (event) => event.eventName === expected;
  const read = READ[key];
  const test = textTest(expected, key === 'origin');
  return (event) => test(read(event));
}

/**
 * The filter as one predicate, built once: a wait re-checks thousands of events, and the
 * filter's fields and metadata entries must not be walked again for each of them.
 */
export function compileFilter(filter: EventFilter): EventPredicate {
  const checks: EventPredicate[] = [];
  const preexisting = filter.preexisting ?? false;
  const { service } = filter;
  if (service !== undefined) checks.push((event) => event.service === service);
  for (const key of TEXT_FIELDS) {
    const expected = filter[key];
    if (expected !== undefined) checks.push(fieldTest(key, expected));
  }
  for (const [key, expected] of Object.entries(filter.metadata ?? {})) {
    const test = textTest(expected);
    checks.push((event) => {
      // Own keys only: `toString` or `constructor` is no metadata key of an event.
      const actual = Object.hasOwn(event.metadata, key) ? event.metadata[key] : undefined;
      return actual !== undefined && test(actual);
    });
  }
  checks.push((event) => event.preexisting === preexisting);
  if (checks.length === 1) return checks[0]!;
  if (checks.length === 2) {
    const [a, b] = checks as [EventPredicate, EventPredicate];
    return (event) => a(event) && b(event);
  }
  if (checks.length === 3) {
    const [a, b, c] = checks as [EventPredicate, EventPredicate, EventPredicate];
    return (event) => a(event) && b(event) && c(event);
  }
  return (event) => checks.every((check) => check(event));
}

export function matchesFilter(event: RecordedEvent, filter: EventFilter): boolean {
  return compileFilter(filter)(event);
}

/** A filter value as the user wrote it: strings quoted, RegExps and the rest as they print. */
export function formatText(value: TextMatch | number | boolean | null): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "\\'")}'` : String(value);
}

/** A filter printed as the user wrote it: `{ service: 'pushMessaging', metadata: { Title: /hello/ } }`. */
export function formatFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.service !== undefined) parts.push(`service: ${formatText(filter.service)}`);
  for (const key of TEXT_FIELDS) {
    const value = filter[key];
    if (value !== undefined) parts.push(`${key}: ${formatText(value)}`);
  }
  const metadata = Object.entries(filter.metadata ?? {});
  if (metadata.length) parts.push(`metadata: { ${metadata.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${formatText(v)}`).join(', ')} }`);
  if (filter.preexisting !== undefined) parts.push(`preexisting: ${filter.preexisting}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
