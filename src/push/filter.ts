import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType } from '../background-services/events.js';
import { STATES, URGENCIES, type PushMessage, type PushMessageState, type PushUrgency } from './service.js';

export interface PushMessageFilter {
  /** Exact text, RegExp, or a subset of the JSON. */
  payload?: string | RegExp | Record<string, unknown>;
  urgency?: PushUrgency;
  topic?: string;
  ttl?: number;
  state?: PushMessageState;
  endpoint?: string;
}

const FILTER_KEYS = ['payload', 'urgency', 'topic', 'ttl', 'state', 'endpoint'] as const;

function subsetMatches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([key, value]) => subsetMatches((actual as Record<string, unknown>)[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** @internal */
export function assertPushFilter(filter: unknown, call: string): PushMessageFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(`${call}: expected a filter object such as { payload: 'hello', urgency: 'high' }, got ${describeType(filter)}.`);
  }
  const record = filter as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new BackgroundServicesError(`${call}: unknown filter field '${key}'. Expected any of: ${FILTER_KEYS.join(', ')}.`);
    }
  }
  const { payload, urgency, topic, ttl, state, endpoint } = record;
  if (
    payload !== undefined &&
    typeof payload !== 'string' &&
    !(payload instanceof RegExp) &&
    (typeof payload !== 'object' || payload === null || Array.isArray(payload))
  ) {
    throw new BackgroundServicesError(
      `${call}: filter field 'payload' must be a string, a RegExp or an object (matched against the payload's JSON), got ${describeType(payload)}.`,
    );
  }
  if (urgency !== undefined && !URGENCIES.includes(urgency as PushUrgency)) {
    throw new BackgroundServicesError(
      `${call}: filter field 'urgency' must be one of ${URGENCIES.map((u) => `'${u}'`).join(', ')}, got ${describeType(urgency)}.`,
    );
  }
  if (state !== undefined && !STATES.includes(state as PushMessageState)) {
    throw new BackgroundServicesError(`${call}: filter field 'state' must be one of ${STATES.map((s) => `'${s}'`).join(', ')}, got ${describeType(state)}.`);
  }
  if (ttl !== undefined && !(Number.isInteger(ttl) && (ttl as number) >= 0)) {
    throw new BackgroundServicesError(`${call}: filter field 'ttl' must be a whole number of seconds >= 0, got ${describeType(ttl)}.`);
  }
  for (const [key, value] of [
    ['topic', topic],
    ['endpoint', endpoint],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') {
      throw new BackgroundServicesError(`${call}: filter field '${key}' must be a string, got ${describeType(value)}.`);
    }
  }
  return record;
}

/** @internal */
export function matchesPushFilter(message: PushMessage, filter: PushMessageFilter): boolean {
  const { payload } = filter;
  if (typeof payload === 'string' && message.payload !== payload) return false;
  if (payload instanceof RegExp && !payload.test(message.payload)) return false;
  if (typeof payload === 'object' && !(payload instanceof RegExp)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.payload);
    } catch {
      return false;
    }
    if (!subsetMatches(parsed, payload)) return false;
  }
  if (filter.urgency !== undefined && message.urgency !== filter.urgency) return false;
  if (filter.topic !== undefined && message.topic !== filter.topic) return false;
  if (filter.ttl !== undefined && message.ttl !== filter.ttl) return false;
  if (filter.state !== undefined && message.state !== filter.state) return false;
  if (filter.endpoint !== undefined && message.endpoint !== filter.endpoint) return false;
  return true;
}

/** @internal */
export function formatPushFilter(filter: PushMessageFilter): string {
  const parts = FILTER_KEYS.filter((key) => filter[key] !== undefined).map((key) => {
    const value = filter[key];
    return `${key}: ${value instanceof RegExp ? String(value) : JSON.stringify(value)}`;
  });
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
