import type { Protocol } from 'devtools-protocol';
import { BackgroundServicesError } from '../cdp/errors.js';
import { isServiceName, type ServiceName } from './services.js';

/** A protocol event exactly as DevTools' "Save events" writes it. */
export type BackgroundServiceEvent = Protocol.BackgroundService.BackgroundServiceEvent;

/** The protocol event, plus `metadata` as a plain object. */
export interface RecordedEvent extends BackgroundServiceEvent {
  readonly service: ServiceName;
  readonly metadata: Readonly<Record<string, string>>;
  /** Stored by the browser before this recording started. */
  readonly preexisting: boolean;
}

export function toRecordedEvent(event: BackgroundServiceEvent, preexisting: boolean): RecordedEvent {
  const eventMetadata = event.eventMetadata ?? [];
  const metadata: Record<string, string> = {};
  for (const { key, value } of eventMetadata) {
    // `metadata.__proto__ = value` would be dropped (or replace the prototype), not kept as a key.
    if (key === '__proto__') Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
    else metadata[key] = value;
  }
  // One literal shape for every event, and no Object.freeze: V8 reads frozen objects' fields
  // dozens of times slower, and a matcher reads them for every event it scans.
  return {
    timestamp: event.timestamp,
    origin: event.origin,
    serviceWorkerRegistrationId: event.serviceWorkerRegistrationId,
    service: event.service,
    eventName: event.eventName,
    instanceId: event.instanceId,
    eventMetadata,
    storageKey: event.storageKey,
    metadata,
    preexisting,
  };
}

/** The protocol event alone, in the field order DevTools saves. */
export function toProtocolEvent(event: BackgroundServiceEvent): BackgroundServiceEvent {
  return {
    timestamp: event.timestamp,
    origin: event.origin,
    serviceWorkerRegistrationId: event.serviceWorkerRegistrationId,
    service: event.service,
    eventName: event.eventName,
    instanceId: event.instanceId,
    eventMetadata: event.eventMetadata.map(({ key, value }) => ({ key, value })),
    storageKey: event.storageKey,
  };
}

/** Identity of an event as a string, for sets of seen events across sessions and files. */
export function eventKey(event: BackgroundServiceEvent): string {
  return JSON.stringify([
    event.service,
    event.timestamp,
    event.eventName,
    event.instanceId,
    event.origin,
    event.storageKey,
    event.serviceWorkerRegistrationId,
    event.eventMetadata,
  ]);
}

/** Whether two events are the same one (a replay after observation restarted). */
export function sameEvent(a: BackgroundServiceEvent, b: BackgroundServiceEvent): boolean {
  if (
    a.timestamp !== b.timestamp ||
    a.service !== b.service ||
    a.eventName !== b.eventName ||
    a.instanceId !== b.instanceId ||
    a.origin !== b.origin ||
    a.storageKey !== b.storageKey ||
    a.serviceWorkerRegistrationId !== b.serviceWorkerRegistrationId
  ) {
    return false;
  }
  const x = a.eventMetadata ?? [];
  const y = b.eventMetadata ?? [];
  return x.length === y.length && x.every((entry, i) => entry.key === y[i]!.key && entry.value === y[i]!.value);
}

const OPTIONAL_TEXT = ['origin', 'serviceWorkerRegistrationId', 'instanceId', 'storageKey'] as const;

/** What is wrong with a saved item, or undefined for a protocol event. */
function protocolEventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `it is ${describeType(value)}`;
  const event = value as Record<string, unknown>;
  if (typeof event.timestamp !== 'number' || !Number.isFinite(event.timestamp)) return `timestamp must be a number, got ${describeType(event.timestamp)}`;
  if (!isServiceName(event.service)) return `service must be one of the six service names, got ${describeType(event.service)}`;
  if (typeof event.eventName !== 'string') return `eventName must be a string, got ${describeType(event.eventName)}`;
  if (!Array.isArray(event.eventMetadata)) return `eventMetadata must be an array of { key, value }, got ${describeType(event.eventMetadata)}`;
  for (const key of OPTIONAL_TEXT) {
    if (event[key] !== undefined && event[key] !== null && typeof event[key] !== 'string') return `${key} must be a string, got ${describeType(event[key])}`;
  }
  for (let i = 0; i < event.eventMetadata.length; i++) {
    const entry: unknown = event.eventMetadata[i];
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { key?: unknown }).key !== 'string' ||
      typeof (entry as { value?: unknown }).value !== 'string'
    ) {
      return `eventMetadata[${i}] must be { key: string, value: string }, got ${preview(entry, 80)}`;
    }
  }
  return undefined;
}

/** A value as JSON for a message, whatever it is (undefined, a cycle, a BigInt). */
export function preview(value: unknown, max: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt or a cycle inside, or an object without toString (a null prototype).
    text = typeof value === 'bigint' ? `${value}n` : Object.prototype.toString.call(value);
  }
  return truncate(text, max);
}

// Lists this module built or checked: matchers skip checking them again.
const checkedLists = new WeakSet<readonly RecordedEvent[]>();

/**
 * Reads events saved by DevTools' "Save events" (a JSON array of protocol events), or by
 * `recording.toJSON()`, into recorded events.
 * @example
 * const events = parseSavedEvents(JSON.parse(await fs.readFile('pushMessaging-20261121T054403.json', 'utf8')));
 */
export function parseSavedEvents(value: unknown, source = 'saved events'): RecordedEvent[] {
  if (!Array.isArray(value)) {
    throw new BackgroundServicesError(
      `${source}: expected a JSON array of background service events (DevTools' "Save events" format), got ${describeType(value)}.`,
    );
  }
  // Array.from, not map: map skips the holes of a sparse array and keeps them as holes.
  const events = Array.from(value as unknown[], (item: unknown, index) => {
    const problem = protocolEventProblem(item);
    if (problem !== undefined) {
      throw new BackgroundServicesError(
        `${source}: item ${index} is not a background service event (it needs timestamp, service, eventName and eventMetadata; ${problem}): ${preview(item, 200)}`,
      );
    }
    const event = item as BackgroundServiceEvent;
    return toRecordedEvent(
      {
        timestamp: event.timestamp,
        origin: event.origin ?? '',
        serviceWorkerRegistrationId: event.serviceWorkerRegistrationId ?? '',
        service: event.service,
        eventName: event.eventName,
        instanceId: event.instanceId ?? '',
        eventMetadata: event.eventMetadata,
        storageKey: event.storageKey ?? '',
      },
      false,
    );
  });
  checkedLists.add(events);
  return events;
}

/**
 * Checks the events of an `{ events }` object made outside the library (a live recording and
 * `loadRecording()`'s result are trusted): a matcher reads every field of every event.
 */
export function assertRecordedEvents(events: readonly unknown[], source: string): readonly RecordedEvent[] {
  const list = events as readonly RecordedEvent[];
  if (checkedLists.has(list)) return list;
  for (let index = 0; index < events.length; index++) {
    const item = events[index];
    let problem = protocolEventProblem(item);
    if (problem === undefined) {
      const event = item as Partial<RecordedEvent>;
      const metadata: unknown = event.metadata;
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
        problem = `metadata must be an object of strings, got ${preview(metadata, 80)}`;
      } else if (typeof event.preexisting !== 'boolean') {
        problem = `preexisting must be a boolean, got ${describeType(event.preexisting)}`;
      } else {
        for (const key of OPTIONAL_TEXT) if (typeof event[key] !== 'string') problem = `${key} must be a string, got ${describeType(event[key])}`;
      }
    }
    if (problem !== undefined) {
      throw new BackgroundServicesError(
        `${source}: events[${index}] is not a recorded event (use loadRecording() for a saved export; ${problem}): ${preview(item, 200)}`,
      );
    }
  }
  checkedLists.add(list);
  return list;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return `${typeof value} ${preview(value, 60)}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `HH:MM:SS.mmm` in UTC, as short as a test log needs. */
export function formatTime(timestampSeconds: number): string {
  const date = new Date(timestampSeconds * 1000);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/** One line per event, the columns DevTools shows. */
export function formatEvent(event: RecordedEvent, index: number): string {
  const parts = [`${index + 1}.`, formatTime(event.timestamp), event.service, JSON.stringify(event.eventName)];
  if (event.instanceId) parts.push(`instanceId=${JSON.stringify(event.instanceId)}`);
  if (event.origin) parts.push(event.origin);
  const metadata = Object.entries(event.metadata);
  if (metadata.length) {
    parts.push(`{ ${metadata.map(([k, v]) => `${k}: ${JSON.stringify(truncate(v, 120))}`).join(', ')} }`);
  }
  if (event.preexisting) parts.push('(recorded before this recording started)');
  return parts.join('  ');
}

/** The "what was recorded" block of every error and matcher message. */
export function formatEventList(events: readonly RecordedEvent[], options: { max?: number; dropped?: number; firstNumber?: number } = {}): string {
  const { max = 30, dropped = 0, firstNumber = 1 } = options;
  const droppedNote = dropped ? `; ${dropped} older event(s) dropped by maxEvents` : '';
  if (events.length === 0) return `Recorded events: none${droppedNote}`;
  const shown = events.length > max ? events.slice(-max) : events;
  const offset = events.length - shown.length;
  const lines = shown.map((event, i) => `  ${formatEvent(event, firstNumber - 1 + offset + i)}`);
  const head = offset ? [`  … ${offset} earlier event(s) not shown`] : [];
  return [`Recorded events (${events.length}${droppedNote}):`, ...head, ...lines].join('\n');
}
