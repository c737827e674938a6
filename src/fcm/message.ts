import { randomUUID } from 'node:crypto';
import { BackgroundServicesError } from '../cdp/errors.js';
import { URGENCIES, type PushUrgency } from '../push/service.js';

const LOOPBACK_HTTP = /^http:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

/** An answer in FCM's error shape, so that firebase-admin raises its real codes. */
export class FcmApiError extends BackgroundServicesError {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    /** `google.firebase.fcm.v1.FcmError`'s `errorCode`; firebase-admin maps it to `messaging/…`. */
    readonly errorCode?: string,
  ) {
    super(message);
  }

  override name = 'FcmApiError';

  body(): unknown {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.status,
        ...(this.errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: this.errorCode }] } : {}),
      },
    };
  }
}

export const invalidArgument = (message: string) => new FcmApiError(400, 'INVALID_ARGUMENT', message, 'INVALID_ARGUMENT');
export const unregistered = () => new FcmApiError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
export const senderIdMismatch = () => new FcmApiError(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH');

/** FCM's limit on a message's payload (notification and data) for the web. */
export const MAX_FCM_PAYLOAD_BYTES = 4096;
/** FCM keeps a web push message for 4 weeks unless `webpush.headers.TTL` says otherwise. */
const DEFAULT_TTL_SECONDS = 28 * 24 * 60 * 60;

export type FcmTarget = { token: string } | { topic: string } | { condition: string };

/** What FCM hands the browser's push service for one message: the payload the Firebase SDK's worker reads. */
export interface TranslatedMessage {
  target: FcmTarget;
  /** The JSON the service worker's `event.data.json()` returns. */
  payload: Record<string, unknown>;
  ttl: number;
  urgency: PushUrgency;
  /** `webpush.headers.Topic`: a newer held message with the same topic replaces an older one. */
  topic: string | undefined;
}

type Json = Record<string, unknown>;

const MESSAGE_KEYS = ['name', 'data', 'notification', 'android', 'webpush', 'apns', 'fcm_options', 'fcmOptions', 'token', 'topic', 'condition'];
const NOTIFICATION_KEYS = ['title', 'body', 'image'];
const WEBPUSH_KEYS = ['headers', 'data', 'notification', 'fcm_options', 'fcmOptions'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function objectField(parent: Json, key: string, path: string): Json | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw invalidArgument(`Invalid value at '${path}' (type.googleapis.com/${key}), ${JSON.stringify(value)}`);
  return value;
}

function checkKeys(value: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`);
  }
}

function stringMap(value: Json | undefined, path: string): Record<string, string> | undefined {
  if (!value) return undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalidArgument(`Invalid value at '${path}[${key}]' (TYPE_STRING), ${JSON.stringify(entry)}`);
  }
  return value as Record<string, string>;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : headers[found];
}

/** A registration token as FCM hands them out: long, of the characters of base64url and `:`. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_:-]{20,}$/;
const TOPIC_PATTERN = /^[a-zA-Z0-9-_.~%]+$/;

/** The topic's name without the `/topics/` prefix that the legacy API and IID use. */
export function topicName(value: string): string {
  return value.startsWith('/topics/') ? value.slice('/topics/'.length) : value;
}

/**
 * Checks a `messages:send` body as FCM does and translates it to what the browser gets.
 * Throws `FcmApiError` (400 INVALID_ARGUMENT) where FCM refuses the message.
 */
export function translateMessage(body: unknown, from: string): { message: TranslatedMessage; validateOnly: boolean } {
  if (!isObject(body)) throw invalidArgument('Invalid JSON payload received. Expected an object with a "message".');
  const validateOnly = body.validate_only === true || body.validateOnly === true;
  const message = objectField(body, 'message', 'message');
  if (!message) throw invalidArgument('Request contains an invalid argument: the request has no "message".');
  checkKeys(message, MESSAGE_KEYS, 'message');
  const targets = (['token', 'topic', 'condition'] as const).filter((key) => message[key] !== undefined);
  if (targets.length !== 1)
    throw invalidArgument(`Exactly one of token, topic or condition must be given, got ${targets.length ? targets.join(', ') : 'none'}.`);
  const key = targets[0]!;
  const value = message[key];
  if (typeof value !== 'string' || !value) throw invalidArgument(`Invalid value at 'message.${key}' (TYPE_STRING), ${JSON.stringify(value)}`);
  let target: FcmTarget;
  if (key === 'token') {
    if (!TOKEN_PATTERN.test(value)) throw invalidArgument('The registration token is not a valid FCM registration token');
    target = { token: value };
  } else if (key === 'topic') {
    const topic = topicName(value);
    if (!TOPIC_PATTERN.test(topic)) throw invalidArgument(`Invalid topic name ${JSON.stringify(value)}: it must match [a-zA-Z0-9-_.~%]+.`);
    target = { topic };
  } else {
    parseCondition(value);
    target = { condition: value };
  }

  const notification = objectField(message, 'notification', 'message.notification');
  if (notification) checkKeys(notification, NOTIFICATION_KEYS, 'message.notification');
  const data = stringMap(objectField(message, 'data', 'message.data'), 'message.data');
  const webpush = objectField(message, 'webpush', 'message.webpush');
  if (webpush) checkKeys(webpush, WEBPUSH_KEYS, 'message.webpush');
  const headers = stringMap(webpush && objectField(webpush, 'headers', 'message.webpush.headers'), 'message.webpush.headers');
  const webData = stringMap(webpush && objectField(webpush, 'data', 'message.webpush.data'), 'message.webpush.data');
  const webNotification = webpush && objectField(webpush, 'notification', 'message.webpush.notification');
  const fcmOptions =
    webpush && (objectField(webpush, 'fcm_options', 'message.webpush.fcm_options') ?? objectField(webpush, 'fcmOptions', 'message.webpush.fcm_options'));
  const link = fcmOptions?.link;
  // FCM takes only HTTPS links; a test's app is usually plain HTTP on the loopback, which the stand-in also takes.
  if (link !== undefined && (typeof link !== 'string' || !(link.startsWith('https://') || LOOPBACK_HTTP.test(link)))) {
    throw invalidArgument(
      `Invalid value at 'message.webpush.fcm_options.link': the link must be an HTTPS URL (or http:// on localhost, 127.0.0.1 or [::1]), got ${JSON.stringify(link)}.`,
    );
  }

  const ttlText = header(headers, 'TTL');
  if (ttlText !== undefined && !/^\d+$/.test(ttlText.trim()))
    throw invalidArgument(`Invalid value at 'message.webpush.headers[TTL]': ${JSON.stringify(ttlText)} is not a number of seconds.`);
  const urgency = (header(headers, 'Urgency')?.trim().toLowerCase() ?? 'normal') as PushUrgency;
  if (!URGENCIES.includes(urgency))
    throw invalidArgument(`Invalid value at 'message.webpush.headers[Urgency]': ${JSON.stringify(urgency)}, expected one of ${URGENCIES.join(', ')}.`);
  const topic = header(headers, 'Topic')?.trim();
  if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) {
    throw invalidArgument(`Invalid value at 'message.webpush.headers[Topic]': ${JSON.stringify(topic)}, expected 1 to 32 base64url characters.`);
  }

  const mergedNotification =
    notification || webNotification ? { ...notification, ...webNotification, ...(typeof link === 'string' ? { click_action: link } : {}) } : undefined;
  const mergedData = data || webData ? { ...data, ...webData } : undefined;
  const payload: Json = {
    ...(mergedData ? { data: mergedData } : {}),
    from,
    priority: urgency === 'high' ? 'high' : 'normal',
    ...(mergedNotification ? { notification: mergedNotification } : {}),
    ...(fcmOptions
      ? {
          fcmOptions: { ...(typeof link === 'string' ? { link } : {}), ...(fcmOptions.analytics_label ? { analytics_label: fcmOptions.analytics_label } : {}) },
        }
      : {}),
    fcmMessageId: randomUUID(),
    collapse_key: topic ?? 'do_not_collapse',
  };
  const size = Buffer.byteLength(JSON.stringify({ data: mergedData, notification: mergedNotification }));
  if (size > MAX_FCM_PAYLOAD_BYTES) throw invalidArgument(`Message is too big: its payload is ${size} bytes, the limit is ${MAX_FCM_PAYLOAD_BYTES}.`);
  return { message: { target, payload, ttl: ttlText === undefined ? DEFAULT_TTL_SECONDS : Number(ttlText), urgency, topic }, validateOnly };
}

/** A parsed FCM condition: `'a' in topics && ('b' in topics || !('c' in topics))`. */
export type Condition = { topic: string } | { not: Condition } | { and: Condition[] } | { or: Condition[] };

/** Parses FCM's condition language (`&&`, `||`, `!`, parentheses, at most 5 topics), as FCM refuses what it cannot. */
export function parseCondition(text: string): Condition {
  const tokens = text.match(/'[^']*'|"[^"]*"|&&|\|\||!|\(|\)|in\b|topics\b|\S+/g) ?? [];
  let at = 0;
  let topics = 0;
  const fail = (why: string): never => {
    throw invalidArgument(`Invalid condition expression provided (${why}): ${JSON.stringify(text)}`);
  };
  const peek = () => tokens[at];
  const next = () => tokens[at++] ?? fail('it ends too early');
  const primary = (): Condition => {
    const token = next();
    if (token === '!') return { not: primary() };
    if (token === '(') {
      const inner = or();
      if (next() !== ')') fail("a '(' is not closed");
      return inner;
    }
    if (/^['"]/.test(token)) {
      const topic = token.slice(1, -1);
      if (!TOPIC_PATTERN.test(topic)) fail(`${token} is not a topic name`);
      if (next() !== 'in' || next() !== 'topics') fail(`expected ${token} in topics`);
      topics += 1;
      return { topic };
    }
    return fail(`unexpected ${JSON.stringify(token)}`);
  };
  const and = (): Condition => {
    const parts = [primary()];
    while (peek() === '&&') {
      at += 1;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const or = (): Condition => {
    const parts = [and()];
    while (peek() === '||') {
      at += 1;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const parsed = or();
  if (at !== tokens.length) fail(`unexpected ${JSON.stringify(tokens[at])}`);
  if (topics > 5) fail(`${topics} topics; FCM allows at most 5`);
  return parsed;
}

/** Whether a token subscribed to `topics` matches the condition. */
export function conditionMatches(condition: Condition, topics: ReadonlySet<string>): boolean {
  if ('topic' in condition) return topics.has(condition.topic);
  if ('not' in condition) return !conditionMatches(condition.not, topics);
  if ('and' in condition) return condition.and.every((part) => conditionMatches(part, topics));
  return condition.or.some((part) => conditionMatches(part, topics));
}
