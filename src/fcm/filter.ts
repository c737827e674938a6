import { describeType } from '../background-services/events.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import type { FcmMessage, FcmMessageState } from './standIn.js';

/** What `toHaveReceivedMessage` looks for; objects match as subsets, strings exactly. */
export interface FcmMessageFilter {
  token?: string;
  topic?: string;
  condition?: string;
  notification?: Record<string, unknown>;
  data?: Record<string, string | RegExp>;
  state?: FcmMessageState;
}

const FILTER_KEYS = ['token', 'topic', 'condition', 'notification', 'data', 'state'] as const;
const STATES: readonly FcmMessageState[] = ['pending', 'delivered', 'dropped', 'expired', 'replaced', 'failed', 'validated', 'no-recipients'];

/** @internal */
export function assertFcmFilter(filter: unknown, call: string): FcmMessageFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(`${call}: expected a filter object such as { notification: { title: 'Hi' } }, got ${describeType(filter)}.`);
  }
  const record = filter as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new BackgroundServicesError(`${call}: unknown filter field '${key}'. Expected any of: ${FILTER_KEYS.join(', ')}.`);
    }
  }
  for (const key of ['token', 'topic', 'condition'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'string') {
      throw new BackgroundServicesError(`${call}: filter field '${key}' must be a string, got ${describeType(record[key])}.`);
    }
  }
  for (const key of ['notification', 'data'] as const) {
    const value = record[key];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new BackgroundServicesError(`${call}: filter field '${key}' must be an object (matched as a subset), got ${describeType(value)}.`);
    }
  }
  if (record.state !== undefined && !STATES.includes(record.state as FcmMessageState)) {
    throw new BackgroundServicesError(
      `${call}: filter field 'state' must be one of ${STATES.map((s) => `'${s}'`).join(', ')}, got ${describeType(record.state)}.`,
    );
  }
  return record;
}

function subset(actual: unknown, expected: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([key, value]) => subset((actual as Record<string, unknown>)[key], value));
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** @internal */
export function matchesFcmFilter(message: FcmMessage, filter: FcmMessageFilter): boolean {
  const target = message.target as Record<string, string | undefined>;
  if (filter.token !== undefined && target.token !== filter.token && !message.tokens.includes(filter.token)) return false;
  if (filter.topic !== undefined && target.topic !== filter.topic) return false;
  if (filter.condition !== undefined && target.condition !== filter.condition) return false;
  if (filter.notification !== undefined && !subset(message.notification, filter.notification)) return false;
  if (filter.data !== undefined && !subset(message.data, filter.data)) return false;
  if (filter.state !== undefined && message.state !== filter.state) return false;
  return true;
}

/** @internal */
export function formatFcmFilter(filter: FcmMessageFilter): string {
  const parts = FILTER_KEYS.filter((key) => filter[key] !== undefined).map(
    (key) => `${key}: ${JSON.stringify(filter[key], (_, v: unknown) => (v instanceof RegExp ? String(v) : v))}`,
  );
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
