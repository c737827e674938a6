// The desktop notification filter: what `toHaveShownNotification`, `waitForNotification()`,
// `click()` and `close()` take.
import { BackgroundServicesError } from '../cdp/errors.js';
import { assertTimeout } from '../cdp/wait.js';
import { describeType } from '../background-services/events.js';
import { formatText, isTextMatch, type TextMatch } from '../background-services/filter.js';
import { URGENCIES, type DesktopNotification, type NotificationUrgency } from './notification.js';

/** What a notification must look like: strings whole, RegExps anywhere. */
export interface DesktopNotificationFilter {
  title?: TextMatch;
  body?: TextMatch;
  /** `localhost:3000` or a full origin. */
  origin?: TextMatch;
  buttons?: readonly string[];
  urgency?: NotificationUrgency;
}

export interface NotificationTarget extends DesktopNotificationFilter {
  /** The page's `tag`, looked up in the attached context's pages. */
  tag?: string;
  /** Ms to wait; default: the desktop's `timeout`. */
  timeout?: number;
}

export interface ClickNotificationTarget extends NotificationTarget {
  /** The button's action id or label. */
  action?: string;
}

const FILTER_KEYS = ['title', 'body', 'origin', 'buttons', 'urgency'] as const;
const TARGET_KEYS = [...FILTER_KEYS, 'tag', 'timeout'] as const;
const CLICK_KEYS = [...TARGET_KEYS, 'action'] as const;

function testText(expected: TextMatch, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'string') return expected === actual;
  expected.lastIndex = 0;
  return expected.test(actual);
}

/** Matches the filter's fields; `tag` and `action` are the page's, checked elsewhere. */
export function matchesNotification(notification: DesktopNotification, filter: DesktopNotificationFilter): boolean {
  if (filter.title !== undefined && !testText(filter.title, notification.title)) return false;
  if (filter.body !== undefined && !testText(filter.body, notification.body)) return false;
  if (filter.origin !== undefined) {
    const origin = typeof filter.origin === 'string' ? filter.origin.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '') : filter.origin;
    if (!testText(origin, notification.origin)) return false;
  }
  if (filter.buttons !== undefined && (filter.buttons.length !== notification.buttons.length || filter.buttons.some((b, i) => b !== notification.buttons[i])))
    return false;
  if (filter.urgency !== undefined && filter.urgency !== notification.urgency) return false;
  return true;
}

/** Throws a clear error for a mistyped filter or target instead of never matching. */
export function assertNotificationFilter(value: unknown, call: string, kind: 'filter' | 'target' | 'click' = 'filter'): void {
  const keys: readonly string[] = kind === 'click' ? CLICK_KEYS : kind === 'target' ? TARGET_KEYS : FILTER_KEYS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BackgroundServicesError(`${call}: expected an object such as { title: 'New message' }, got ${describeType(value)}.`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) throw new BackgroundServicesError(`${call}: unknown field '${key}'. Expected any of: ${keys.join(', ')}.`);
  }
  for (const key of ['title', 'body', 'origin'] as const) {
    if (record[key] !== undefined && !isTextMatch(record[key])) {
      throw new BackgroundServicesError(`${call}: '${key}' must be a string or a RegExp, got ${describeType(record[key])}.`);
    }
  }
  if (record.buttons !== undefined && (!Array.isArray(record.buttons) || record.buttons.some((b) => typeof b !== 'string'))) {
    throw new BackgroundServicesError(`${call}: 'buttons' must be an array of button labels such as ['Archive'], got ${describeType(record.buttons)}.`);
  }
  if (record.urgency !== undefined && !(URGENCIES as readonly unknown[]).includes(record.urgency)) {
    throw new BackgroundServicesError(`${call}: 'urgency' must be one of ${URGENCIES.join(', ')}, got ${describeType(record.urgency)}.`);
  }
  for (const key of ['tag', 'action'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'string') {
      throw new BackgroundServicesError(`${call}: '${key}' must be a string, got ${describeType(record[key])}.`);
    }
  }
  if (kind !== 'filter' && FILTER_KEYS.every((key) => record[key] === undefined) && record.tag === undefined) {
    throw new BackgroundServicesError(`${call}: say which notification, by title, body, origin, buttons, urgency or tag, e.g. { title: 'New message' }.`);
  }
  assertTimeout(record.timeout, call);
}

/** A filter or target printed as the user wrote it. */
export function formatNotificationFilter(filter: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    parts.push(`${key}: ${Array.isArray(value) ? `[${value.map((v) => formatText(v as string)).join(', ')}]` : formatText(value as TextMatch | number)}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}
