import type { Protocol } from 'devtools-protocol';
import { BackgroundServicesError } from '../cdp/errors.js';
import { isServiceName, type ServiceName } from './services.js';

/** A protocol event exactly as DevTools' "Save events" writes it. */
export type BackgroundServiceEvent = Protocol.BackgroundService.BackgroundServiceEvent;

/** A recorded event: the protocol event, plus its metadata as a plain object. */
export interface RecordedEvent extends BackgroundServiceEvent {
  readonly service: ServiceName;
  /** `eventMetadata` as a plain object, e.g. `{ Status: 'Success' }`. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * True when the browser had stored the event before this recording started (it keeps
   * recording for three days in a persistent profile) and replayed it on observation.
   */
  readonly preexisting: boolean;
}

export function toRecordedEvent(event: BackgroundServiceEvent, preexisting: boolean): RecordedEvent {
  const eventMetadata = event.eventMetadata ?? [];
  const metadata: Record<string, string> = {};
  for (const { key, value } of eventMetadata) metadata[key] = value;
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

function isProtocolEvent(value: unknown): value is BackgroundServiceEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<BackgroundServiceEvent>;
  return (
    typeof event.timestamp === 'number' &&
    typeof event.eventName === 'string' &&
    isServiceName(event.service) &&
    Array.isArray(event.eventMetadata)
  );
}

/**
 * Reads events saved by DevTools' "Save events" (a JSON array of protocol events), or by
 * `recording.toJSON()`, into recorded events.
 *
 * @example
 * const events = parseSavedEvents(JSON.parse(await fs.readFile('pushMessaging-20261121T054403.json', 'utf8')));
 */
export function parseSavedEvents(value: unknown, source = 'saved events'): RecordedEvent[] {
  if (!Array.isArray(value)) {
    throw new BackgroundServicesError(
      `${source}: expected a JSON array of background service events (DevTools' "Save events" format), got ${describeType(value)}.`,
    );
  }
  return value.map((item, index) => {
    if (!isProtocolEvent(item)) {
      throw new BackgroundServicesError(
        `${source}: item ${index} is not a background service event (it needs timestamp, service, eventName and eventMetadata): ${truncate(JSON.stringify(item), 200)}`,
      );
    }
    return toRecordedEvent(
      {
        timestamp: item.timestamp,
        origin: item.origin ?? '',
        serviceWorkerRegistrationId: item.serviceWorkerRegistrationId ?? '',
        service: item.service,
        eventName: item.eventName,
        instanceId: item.instanceId ?? '',
        eventMetadata: item.eventMetadata,
        storageKey: item.storageKey ?? '',
      },
      false,
    );
  });
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${truncate(JSON.stringify(value) ?? String(value), 60)}`;
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
