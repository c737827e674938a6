import { BackgroundServicesError } from '../cdp/errors.js';
import { catalogueEventNames, closestEventNames, servicesOfEvent, type EventName, type MetadataFilter } from './catalogue.js';
import { describeType, type RecordedEvent } from './events.js';
import { assertServiceName, isServiceName, SERVICES, type ServiceName } from './services.js';

/** A string matches exactly; a RegExp matches anywhere unless anchored. */
export type TextMatch = string | RegExp;

/** An event name the catalogue lacks, matched exactly; metadata unchecked. */
export interface UnlistedEventName {
  readonly unlisted: string;
}

export interface EventFilterFields {
  instanceId?: TextMatch;
  /** With or without the trailing slash Chromium adds. */
  origin?: TextMatch;
  storageKey?: TextMatch;
  serviceWorkerRegistrationId?: TextMatch;
  /** `true`: only events stored before the recording. Default false: only new ones. */
  preexisting?: boolean;
}

export type KnownEventFilter<S extends ServiceName> = S extends ServiceName
  ? { [E in EventName<S>]: EventFilterFields & { service?: S; eventName: E; metadata?: MetadataFilter<S, E> } }[EventName<S>]
  : never;

export type PatternEventFilter<S extends ServiceName> = S extends ServiceName
  ? EventFilterFields & { service?: S; eventName?: RegExp; metadata?: MetadataFilter<S> }
  : never;

export type UnlistedEventFilter<S extends ServiceName> = EventFilterFields & {
  service?: S;
  eventName: UnlistedEventName;
  metadata?: Readonly<Record<string, TextMatch>>;
};

/** What an event must match: every given field. See docs/matchers.md. */
export type EventFilter<S extends ServiceName = ServiceName> = KnownEventFilter<S> | PatternEventFilter<S> | UnlistedEventFilter<S>;

/** Any event filter, as the runtime handles it. */
type LooseEventFilter = EventFilterFields & {
  service?: ServiceName;
  eventName?: TextMatch | UnlistedEventName;
  metadata?: Readonly<Record<string, TextMatch | undefined>>;
};

const TEXT_FIELDS = ['instanceId', 'origin', 'storageKey', 'serviceWorkerRegistrationId'] as const;
const FILTER_KEYS = ['service', 'eventName', ...TEXT_FIELDS, 'metadata', 'preexisting'] as const;

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

/** The escape's name, or undefined for anything else. */
function unlistedName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || value instanceof RegExp || Array.isArray(value)) return undefined;
  const { unlisted } = value as Partial<UnlistedEventName>;
  return typeof unlisted === 'string' && Object.keys(value).length === 1 ? unlisted : undefined;
}

/** The exact event name a filter asks for (a catalogue name or the escape's), if any. */
export function exactEventName(filter: { eventName?: unknown }): string | undefined {
  return typeof filter.eventName === 'string' ? filter.eventName : unlistedName(filter.eventName);
}

function assertEventName(value: unknown, service: ServiceName | undefined, call: string): void {
  if (value instanceof RegExp || unlistedName(value) !== undefined) return;
  if (typeof value !== 'string') {
    throw new BackgroundServicesError(`${call}: filter field 'eventName' must be a string, a RegExp or { unlisted: '…' }, got ${describeType(value)}.`);
  }
  const known = catalogueEventNames(service);
  if (known.includes(value)) return;
  const of = service ? ` of ${service}` : '';
  const owners = service ? servicesOfEvent(value) : [];
  const hint = owners.length
    ? ` It is an event of ${owners.join(' and ')}.`
    : closestEventNames(value, known)
        .map((name) => ` Did you mean '${name}'?`)
        .join('');
  const list = service ? ` Known events of ${service}: ${known.map((name) => `'${name}'`).join(', ')}.` : ' Known events: see EVENT_CATALOGUE.';
  throw new BackgroundServicesError(
    `${call}: unknown event name ${formatText(value)}${of}.${hint}${list} ` +
      `For an event this library's catalogue does not list (a newer Chromium), write eventName: { unlisted: ${formatText(value)} } or a RegExp.`,
  );
}

/** Throws a clear error for a filter a user mistyped, instead of silently never matching. */
export function assertEventFilter(filter: unknown, call: string): EventFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(
      `${call}: expected an event filter object such as { service: 'pushMessaging', eventName: 'Push event completed' }, got ${describeType(filter)}.`,
    );
  }
  const record = filter as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new BackgroundServicesError(`${call}: unknown filter field '${key}'. Expected any of: ${FILTER_KEYS.join(', ')}.`);
    }
  }
  if (record.service instanceof RegExp) {
    throw new BackgroundServicesError(
      `${call}: filter field 'service' takes a service name, not a RegExp (got ${String(record.service)}). Expected one of: ${SERVICES.join(', ')}; leave 'service' out to match every service, or match 'eventName' with a RegExp.`,
    );
  }
  const service = record.service === undefined ? undefined : assertServiceName(record.service, call);
  if (record.eventName !== undefined) assertEventName(record.eventName, service, call);
  for (const key of TEXT_FIELDS) {
    if (record[key] !== undefined && !isTextMatch(record[key])) {
      throw new BackgroundServicesError(`${call}: filter field '${key}' must be a string or a RegExp, got ${describeType(record[key])}.`);
    }
  }
  if (record.metadata !== undefined) {
    if (typeof record.metadata !== 'object' || record.metadata === null || Array.isArray(record.metadata)) {
      throw new BackgroundServicesError(
        `${call}: filter field 'metadata' must be an object such as { Status: 'Success' }, got ${describeType(record.metadata)}.`,
      );
    }
    for (const [key, value] of Object.entries(record.metadata)) {
      if (!isTextMatch(value)) {
        throw new BackgroundServicesError(`${call}: metadata.${key} must be a string or a RegExp, got ${describeType(value)}.`);
      }
    }
  }
  if (record.preexisting !== undefined && typeof record.preexisting !== 'boolean') {
    throw new BackgroundServicesError(`${call}: filter field 'preexisting' must be a boolean, got ${describeType(record.preexisting)}.`);
  }
  return filter;
}

export type EventPredicate = (event: RecordedEvent) => boolean;

type TextField = (typeof TEXT_FIELDS)[number];

/** A reader per field, so a predicate reads a named property rather than `event[key]`. */
const READ: Record<TextField, (event: RecordedEvent) => string> = {
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

/** One field a filter sets: how a failure names it, and the check that a wait runs on every event. */
interface FilterField {
  label: string;
  /** As the user wrote it. */
  expected: string;
  read: (event: RecordedEvent) => unknown;
  check: EventPredicate;
}

/** The fields `filter` sets, in the order a failure lists them; `preexisting` is not among them. */
function filterFields(loose: LooseEventFilter): FilterField[] {
  const fields: FilterField[] = [];
  const { service } = loose;
  if (service !== undefined) {
    fields.push({ label: 'service', expected: formatText(service), read: (event) => event.service, check: (event) => event.service === service });
  }
  // The most common filter, an exact event name, without any indirection.
  const name = exactEventName(loose);
  const readName = (event: RecordedEvent) => event.eventName;
  if (name !== undefined) fields.push({ label: 'eventName', expected: formatText(name), read: readName, check: (event) => event.eventName === name });
  else if (loose.eventName instanceof RegExp) {
    const test = textTest(loose.eventName);
    fields.push({ label: 'eventName', expected: formatText(loose.eventName), read: readName, check: (event) => test(event.eventName) });
  }
  for (const key of TEXT_FIELDS) {
    const expected = loose[key];
    if (expected === undefined) continue;
    const read = READ[key];
    const test = textTest(expected, key === 'origin');
    fields.push({ label: key, expected: formatText(expected), read, check: (event) => test(read(event)) });
  }
  for (const [key, expected] of Object.entries(loose.metadata ?? {})) {
    if (expected === undefined) continue;
    const test = textTest(expected);
    // Own keys only: `toString` or `constructor` is no metadata key of an event.
    const read = (event: RecordedEvent) => (Object.hasOwn(event.metadata, key) ? event.metadata[key] : undefined);
    fields.push({
      label: `metadata.${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}`,
      expected: formatText(expected),
      read,
      check: (event) => {
        const actual = read(event);
        return actual !== undefined && test(actual);
      },
    });
  }
  return fields;
}

function preexistingField(loose: LooseEventFilter): FilterField {
  const preexisting = loose.preexisting ?? false;
  return { label: 'preexisting', expected: String(preexisting), read: (event) => event.preexisting, check: (event) => event.preexisting === preexisting };
}

/**
 * The filter as one predicate, built once: a wait re-checks thousands of events, and the
 * filter's fields and metadata entries must not be walked again for each of them.
 */
export function compileFilter(filter: EventFilter): EventPredicate {
  const loose: LooseEventFilter = filter;
  const checks = [...filterFields(loose), preexistingField(loose)].map((field) => field.check);
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

/**
 * The event closest to a filter that none matched: the one missing the fewest fields, when it
 * matches at least one field the user wrote. Its misses read `metadata.Title: expected /x/, got "y"`.
 */
export function closestEvent(filter: EventFilter, events: readonly RecordedEvent[]): { index: number; misses: string[] } | undefined {
  const loose: LooseEventFilter = filter;
  const written = filterFields(loose);
  if (written.length === 0) return undefined;
  const fields = [...written, preexistingField(loose)];
  let best: { index: number; misses: string[] } | undefined;
  events.forEach((event, index) => {
    const missed = fields.filter(({ check }) => !check(event));
    const matchedWritten = written.filter(({ check }) => check(event)).length;
    if (matchedWritten === 0 || missed.length === 0 || (best && missed.length > best.misses.length)) return;
    const misses = missed.map(({ label, expected, read }) => {
      const actual = read(event);
      return `${label}: expected ${expected}, got ${actual === undefined ? 'none' : JSON.stringify(actual)}`;
    });
    best = { index, misses };
  });
  return best;
}

/** A filter value as the user wrote it: strings quoted, RegExps and the rest as they print. */
export function formatText(value: TextMatch | number | boolean | null): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "\\'")}'` : String(value);
}

/** A filter printed as the user wrote it: `{ service: 'pushMessaging', metadata: { Title: /hello/ } }`. */
export function formatFilter(filter: EventFilter): string {
  const loose: LooseEventFilter = filter;
  const parts: string[] = [];
  if (loose.service !== undefined) parts.push(`service: ${formatText(loose.service)}`);
  if (loose.eventName !== undefined) {
    const unlisted = unlistedName(loose.eventName);
    parts.push(`eventName: ${unlisted !== undefined ? `{ unlisted: ${formatText(unlisted)} }` : formatText(loose.eventName as TextMatch)}`);
  }
  for (const key of TEXT_FIELDS) {
    const value = loose[key];
    if (value !== undefined) parts.push(`${key}: ${formatText(value)}`);
  }
  const metadata = Object.entries(loose.metadata ?? {}).filter((entry): entry is [string, TextMatch] => entry[1] !== undefined);
  if (metadata.length) parts.push(`metadata: { ${metadata.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${formatText(v)}`).join(', ')} }`);
  if (loose.preexisting !== undefined) parts.push(`preexisting: ${loose.preexisting}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

/** The service a filter waits for: its `service`, or the one service that logs its exact `eventName`. */
export function serviceOfFilter(filter: { service?: unknown; eventName?: unknown }): ServiceName | undefined {
  if (isServiceName(filter.service)) return filter.service;
  if (typeof filter.eventName !== 'string') return undefined;
  const services = servicesOfEvent(filter.eventName);
  return services.length === 1 ? services[0] : undefined;
}
