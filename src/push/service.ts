import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserContext } from '@playwright/test';
import ece from 'http_ece';
import { describeType, truncate } from '../background-services/events.js';
import type { PushOutcome, TriggerPushOptions } from '../background-services/triggers.js';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { answerPreflight, handshakeHint, LocalHttpsHost, LocalHttpsServerFront, readBody } from '../cdp/localHttps.js';
import { runCertificateFile, runSetup } from '../cdp/run.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { cryptoKeyParams, PushRefusal, readVapidHeader, verifyVapid, type VapidClaims } from './vapid.js';
import { pushShimScript } from './shim.js';

const PUSH_SERVICE_BRAND = Symbol.for('playwright-background-services.push-service');

/** RFC 8030 §7.2: push services must accept 4096 bytes of (encrypted) payload; FCM and Mozilla refuse more. */
export const MAX_PUSH_MESSAGE_BYTES = 4096;

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';
/** @internal */
export const URGENCIES: readonly PushUrgency[] = ['very-low', 'low', 'normal', 'high'];

/** Where an accepted message is (`pending` while held). */
export type PushMessageState = 'pending' | 'delivered' | 'dropped' | 'expired' | 'replaced' | 'failed';
/** @internal */
export const STATES: readonly PushMessageState[] = ['pending', 'delivered', 'dropped', 'expired', 'replaced', 'failed'];

export interface PushServiceSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  applicationServerKey: string;
  scope: string;
  origin: string;
  state: 'active' | 'unsubscribed' | 'expired';
  createdAt: number;
}

/** A message the service accepted (201). */
export interface PushMessage {
  id: string;
  location: string;
  endpoint: string;
  scope: string;
  /** Decrypted, as UTF-8 text ('' if none). */
  payload: string;
  bodyBytes: number;
  contentEncoding: 'aes128gcm' | 'aesgcm' | null;
  ttl: number;
  urgency: PushUrgency;
  topic: string | undefined;
  vapid: VapidClaims;
  receivedAt: number;
  state: PushMessageState;
  /** `Success`, `waitUntil Rejected` or `Timeout`. */
  status?: string;
  error?: string;
}

export interface RefusedPush {
  path: string;
  status: number;
  reason: string;
  receivedAt: number;
}

/** The page's `BackgroundServices`. */
export interface PushDeliveryTarget {
  triggerPush(data: string, options?: TriggerPushOptions): Promise<PushOutcome>;
}

/** The "what the push service received" block of messages. */
export function formatPushMessages(messages: readonly PushMessage[], refused: readonly RefusedPush[] = [], hints: readonly string[] = []): string {
  const lines = messages.length
    ? [
        `Push messages (${messages.length}):`,
        ...messages.map(
          (m, i) =>
            `  ${i + 1}.  ${m.state}${m.status ? ` (${m.status})` : ''}  ${JSON.stringify(truncate(m.payload, 100))}  urgency=${m.urgency} ttl=${m.ttl}` +
            `${m.topic ? ` topic=${m.topic}` : ''}  → ${m.scope}${m.error ? `  error: ${m.error}` : ''}`,
        ),
      ]
    : ['Push messages: none'];
  if (refused.length) lines.push(`Refused (${refused.length}):`, ...refused.map((r, i) => `  ${i + 1}.  ${r.status} ${r.path}: ${r.reason}`));
  lines.push(...hints);
  return lines.join('\n');
}

interface StoredSubscription extends PushServiceSubscription {
  id: string;
  ecdh: ECDH;
}

/** The HTTPS server behind the push services of one worker: one certificate, one port (a `LocalHttpsHost`). */
export class PushServiceServer extends LocalHttpsServerFront<PushService> {
  private constructor(host: LocalHttpsHost<PushService>) {
    super(host);
  }

  /** @internal Use `startPushService()`. */
  static async start(): Promise<PushServiceServer> {
    const host = await LocalHttpsHost.start<PushService>({
      missing: 'No such push service (it belongs to a test that has ended).\n',
      route: (service, request, response, { path: [kind, name] }) => {
        if (request.method === 'OPTIONS') answerPreflight(request, response);
        else if (kind === 'subscriptions' && !name) service.handleSubscriptions(request, response);
        else if (kind === 'push' && name) service.handlePush(name, request, response);
        else {
          request.resume();
          response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
        }
      },
    });
    return new PushServiceServer(host);
  }

  /** @internal A push service with its own subscriptions and messages (the fixture makes one per test). */
  createService(options: { deliverTo: PushDeliveryTarget }): PushService {
    if (typeof options?.deliverTo?.triggerPush !== 'function') {
      throw new BackgroundServicesError(
        `startPushService(): expected { deliverTo: <the page's BackgroundServices> } (it delivers the messages), got ${describeType(options?.deliverTo)}.`,
      );
    }
    return this.host.add((id, remove) => new PushService(this, id, options.deliverTo, remove));
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A real Web Push service for one test. See docs/push.md. */
export class PushService {
  /** @internal */
  readonly [PUSH_SERVICE_BRAND] = true;
  readonly #stored = new Map<string, StoredSubscription>();
  readonly #received: PushMessage[] = [];
  readonly #refused: RefusedPush[] = [];
  readonly #lines: string[] = [];
  readonly #changed = new Emitter();
  #held = false;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #server: PushServiceServer;
  readonly #id: string;
  readonly #target: PushDeliveryTarget;
  readonly #onClose: () => void;

  readonly #createdAt = Date.now();

  /** @internal */
  constructor(server: PushServiceServer, id: string, target: PushDeliveryTarget, onClose: () => void) {
    this.#server = server;
    this.#id = id;
    this.#target = target;
    this.#onClose = onClose;
  }

  get url(): string {
    return `${this.#server.origin}/${this.#id}`;
  }

  /** @internal Why a backend's sends may never have arrived: it refused this service's certificate. */
  get certificateHints(): string[] {
    const run = runSetup();
    const file = run ? `NODE_EXTRA_CA_CERTS=${runCertificateFile(run)}` : 'NODE_EXTRA_CA_CERTS=<a file holding pushService.certificate>';
    return handshakeHint(
      this.#server.handshakeFailures,
      this.#createdAt,
      'push service',
      `${file} (a webServer backend: backgroundServicesWebServer().env), or web-push's { agent: new https.Agent({ ca: pushService.certificate }) }`,
    );
  }

  /** PEM, for your backend's HTTPS agent. */
  get certificate(): string {
    return this.#server.certificate;
  }

  get spkiPin(): string {
    return this.#server.spkiPin;
  }

  /**
   * Routes the Push API of `context`'s later pages and workers (unless `serviceWorkers: false`) here.
   * @example
   * await pushService.install(context);
   */
  async install(context: BrowserContext, options: { serviceWorkers?: boolean } = {}): Promise<void> {
    // Pages and workers ask a path of their own origin, which this route answers in-process: a
    // service worker reaches no loopback address but its own origin's (Chromium's local network
    // checks), and a browser elsewhere (a remote server) may neither reach nor trust this service.
    const shimPath = `/__playwright-background-services/push/${this.#id}`;
    const workerScript = pushShimScript(shimPath);
    await context.addInitScript({ content: workerScript });
    await context.route(
      (url) => url.origin !== this.#server.origin,
      async (route) => {
        const request = route.request();
        if (new URL(request.url()).pathname === `${shimPath}/subscriptions` && request.method() === 'POST') {
          const { status, value } = this.#answerShim(request.postData() ?? '');
          return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(value) });
        }
        // Chromium sends `Service-Worker: script` with the request for a worker's script (and its updates).
        if (options.serviceWorkers === false || (await request.headerValue('service-worker')) !== 'script') return route.fallback();
        // An imported script (importScripts, a module's import) runs in the global the main script's shim set up.
        const worker = request.serviceWorker();
        if (worker && worker.url() !== request.url()) return route.fallback();
        const response = await route.fetch().catch(() => undefined);
        if (!response) return route.fallback();
        const type = response.headers()['content-type'] ?? '';
        if (!response.ok() || !/javascript|ecmascript/i.test(type)) return route.fulfill({ response });
        // After a 'use strict' prologue, which must stay first to count.
        const text = await response.text();
        const prologue = /^\s*(['"])use strict\1;?/.exec(text)?.[0] ?? '';
        await route.fulfill({ response, body: `${prologue}${workerScript}${text.slice(prologue.length)}` });
      },
    );
  }

  get subscriptions(): readonly PushServiceSubscription[] {
    return [...this.#stored.values()].map(({ id, ecdh, ...subscription }) => {
      void id;
      void ecdh;
      return { ...subscription, keys: { ...subscription.keys } };
    });
  }

  get messages(): readonly PushMessage[] {
    return this.#received.map((message) => ({ ...message }));
  }

  get rejected(): readonly RefusedPush[] {
    return [...this.#refused];
  }

  get log(): readonly string[] {
    return [...this.#lines];
  }

  /** @internal Calls back on every change (a message, a refusal, a delivery); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  #note(line: string): void {
    this.#lines.push(`${new Date().toISOString()} ${line}`);
    this.#changed.emit();
  }

  #findSubscription(value: unknown, call: string): StoredSubscription {
    const endpoint = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? (value as { endpoint?: unknown }).endpoint : undefined;
    if (typeof endpoint !== 'string') {
      throw new BackgroundServicesError(`${call}: expected a subscription (its toJSON(), or its endpoint URL), got ${describeType(value)}.`);
    }
    const found = [...this.#stored.values()].find((s) => s.endpoint === endpoint);
    if (!found) {
      const known = [...this.#stored.values()].map((s) => s.endpoint);
      throw new BackgroundServicesError(
        `${call}: no subscription of this push service has the endpoint ${JSON.stringify(endpoint)}. Known endpoints: ${known.length ? known.join(', ') : 'none'}.`,
      );
    }
    return found;
  }

  /**
   * Expires a subscription: messages to it get 410 Gone.
   * @example
   * pushService.expire(subscription);
   */
  expire(subscription: { endpoint: string } | string): void {
    const found = this.#findSubscription(subscription, 'pushService.expire()');
    found.state = 'expired';
    this.#note(`expired ${found.endpoint}`);
  }

  /**
   * Holds messages, as when the device is offline.
   * @example
   * pushService.holdDelivery();
   */
  holdDelivery(): void {
    this.#held = true;
  }

  /**
   * Delivers held messages within TTL; resolves once each was delivered or failed.
   * @example
   * await pushService.releaseDelivery();
   */
  async releaseDelivery(): Promise<void> {
    this.#held = false;
    const now = Date.now();
    for (const message of this.#received.filter((m) => m.state === 'pending')) {
      if (now > message.receivedAt + message.ttl * 1000) {
        message.state = 'expired';
        this.#note(`expired message ${message.id} (TTL ${message.ttl}s passed while held)`);
      } else this.#enqueue(message);
    }
    await this.#queue;
  }

  /** Forgets messages and refusals, not subscriptions. */
  clear(): void {
    this.#received.length = 0;
    this.#refused.length = 0;
    this.#changed.emit();
  }

  /** @internal Ends this service: later requests get a 404 and pending messages are not delivered. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
    await this.#queue;
  }

  /** @internal What else `stop()` ends: the server `startPushService()` started for this service. */
  stopServer: (() => Promise<void>) | undefined;

  /**
   * Ends the service (and the server `startPushService()` started).
   * @example
   * await pushService.stop();
   */
  async stop(): Promise<void> {
    await this.close();
    await this.stopServer?.();
    this.stopServer = undefined;
  }

  #enqueue(message: PushMessage): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed || message.state !== 'pending') return;
      try {
        const outcome = await this.#target.triggerPush(message.payload, { origin: new URL(message.scope).origin, scope: message.scope });
        message.state = 'delivered';
        message.status = outcome.status;
        this.#note(`delivered message ${message.id} to ${message.scope}: Push event completed, ${outcome.status}`);
      } catch (error) {
        message.state = 'failed';
        message.error = (error as Error).message.split('\n')[0];
        this.#note(`could not deliver message ${message.id} to ${message.scope}: ${message.error}`);
      }
    });
  }

  #refuse(request: IncomingMessage, response: ServerResponse, status: number, reason: string): void {
    const path = new URL(request.url ?? '/', this.#server.origin).pathname;
    this.#refused.push({ path, status, reason, receivedAt: Date.now() });
    this.#note(`${status} ${request.method} ${path}: ${reason}`);
    if (!response.headersSent) response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${reason}\n`);
  }

  /** @internal The page's shim: subscribe, get, unsubscribe. */
  handleSubscriptions(request: IncomingMessage, response: ServerResponse): void {
    void readBody(request, 64 * 1024).then(({ body }) => {
      const { status, value } = this.#answerShim(body.toString('utf8'));
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    });
  }

  // What the shim's request gets: a subscription (or null), or a DOMException's name and message.
  #answerShim(text: string): { status: number; value: unknown } {
    const answer = (status: number, value: unknown) => ({ status, value });
    let input: { op?: string; scope?: string; applicationServerKey?: string; endpoint?: string };
    try {
      input = JSON.parse(text) as typeof input;
    } catch {
      return answer(400, { name: 'AbortError', message: 'Registration failed - the push service got a request that is not JSON' });
    }
    const scope = input.scope ?? '';
    const current = [...this.#stored.values()].find((s) => s.scope === scope && s.state === 'active');
    const shown = (s: StoredSubscription | undefined) => (s ? { endpoint: s.endpoint, keys: s.keys, applicationServerKey: s.applicationServerKey } : null);
    if (input.op === 'get') return answer(200, { subscription: shown(current) });
    if (input.op === 'unsubscribe') {
      const found = [...this.#stored.values()].find((s) => s.endpoint === input.endpoint && s.state === 'active');
      if (found) {
        found.state = 'unsubscribed';
        this.#note(`unsubscribed ${found.endpoint}`);
      }
      return answer(200, { subscription: shown(found) });
    }
    if (input.op !== 'subscribe' || typeof input.applicationServerKey !== 'string') {
      return answer(400, { name: 'AbortError', message: 'Registration failed - the push service got an unknown request' });
    }
    if (current) {
      if (current.applicationServerKey === input.applicationServerKey) return answer(200, { subscription: shown(current) });
      return answer(400, {
        name: 'InvalidStateError',
        message:
          'Registration failed - A subscription with a different applicationServerKey (or gcm_sender_id) already exists; to change the applicationServerKey, unsubscribe then resubscribe.',
      });
    }
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const id = randomUUID();
    const created: StoredSubscription = {
      id,
      ecdh,
      endpoint: `${this.url}/push/${id}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      applicationServerKey: input.applicationServerKey,
      scope,
      origin: new URL(scope).origin,
      state: 'active',
      createdAt: Date.now(),
    };
    this.#stored.set(id, created);
    this.#note(`subscribed ${scope} with applicationServerKey ${created.applicationServerKey}: ${created.endpoint}`);
    return answer(201, { subscription: shown(created) });
  }

  /** @internal A message from the application server (RFC 8030 §5). */
  handlePush(subscriptionId: string, request: IncomingMessage, response: ServerResponse): void {
    void readBody(request, MAX_PUSH_MESSAGE_BYTES).then(async ({ body, size }) => {
      try {
        if (request.method !== 'POST') throw new PushRefusal(405, `Push messages are POSTed; got ${request.method}.`);
        const subscription = this.#receiving(this.#stored.get(subscriptionId), `${this.url}/push/${subscriptionId}`);
        const vapid = await verifyVapid(
          readVapidHeader(header(request, 'authorization'), header(request, 'crypto-key')),
          subscription.applicationServerKey,
          this.#server.origin,
        );
        if (size > MAX_PUSH_MESSAGE_BYTES) {
          throw new PushRefusal(413, `The message body is ${size} bytes; this push service accepts at most ${MAX_PUSH_MESSAGE_BYTES} (RFC 8030 §7.2).`);
        }
        const ttlText = header(request, 'ttl');
        if (ttlText === undefined || !/^\d+$/.test(ttlText.trim()))
          throw new PushRefusal(400, `The TTL header is required and must be a number of seconds >= 0, got ${JSON.stringify(ttlText ?? null)}.`);
        const urgency = (header(request, 'urgency')?.trim().toLowerCase() ?? 'normal') as PushUrgency;
        if (!URGENCIES.includes(urgency))
          throw new PushRefusal(400, `The Urgency header must be one of ${URGENCIES.join(', ')}, got ${JSON.stringify(urgency)}.`);
        const topic = header(request, 'topic')?.trim();
        if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) {
          throw new PushRefusal(400, `The Topic header must be 1 to 32 base64url characters (RFC 8030 §5.4), got ${JSON.stringify(topic)}.`);
        }
        const { payload, contentEncoding } = this.#decrypt(subscription, request, body);
        const message = this.#accept(subscription, { payload, contentEncoding, bodyBytes: size, ttl: Number(ttlText), urgency, topic, vapid });
        response.writeHead(201, { Location: message.location, TTL: String(message.ttl) }).end();
      } catch (error) {
        if (error instanceof PushRefusal) this.#refuse(request, response, error.status, error.message);
        else this.#refuse(request, response, 500, `The push service failed: ${(error as Error).message}`);
      }
    });
  }

  #decrypt(subscription: StoredSubscription, request: IncomingMessage, body: Buffer): { payload: string; contentEncoding: PushMessage['contentEncoding'] } {
    if (body.length === 0) return { payload: '', contentEncoding: null };
    const encoding = header(request, 'content-encoding')?.trim().toLowerCase();
    const authSecret = subscription.keys.auth;
    try {
      if (encoding === 'aes128gcm') {
        return {
          payload: ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret }).toString('utf8'),
          contentEncoding: 'aes128gcm',
        };
      }
      if (encoding === 'aesgcm') {
        const salt = cryptoKeyParams(header(request, 'encryption')).salt;
        const dh = cryptoKeyParams(header(request, 'crypto-key')).dh;
        if (!salt || !dh) throw new PushRefusal(400, 'aesgcm needs Encryption: salt=… and Crypto-Key: dh=… headers.');
        return {
          payload: ece.decrypt(body, { version: 'aesgcm', privateKey: subscription.ecdh, authSecret, dh, salt }).toString('utf8'),
          contentEncoding: 'aesgcm',
        };
      }
    } catch (error) {
      if (error instanceof PushRefusal) throw error;
      throw new PushRefusal(400, `The payload does not decrypt with this subscription's keys (${encoding}): ${(error as Error).message}.`);
    }
    throw new PushRefusal(415, `Content-Encoding must be aes128gcm (RFC 8291) or aesgcm, got ${JSON.stringify(encoding ?? null)}.`);
  }

  /**
   * @internal A message that the push network itself hands over (the FCM stand-in: Chromium's
   * subscriptions belong to FCM, which needs no VAPID of its own). Throws `PushRefusal` (404, 410)
   * when the endpoint is unknown or gone.
   */
  acceptFromNetwork(endpoint: string, fields: Pick<PushMessage, 'payload' | 'ttl' | 'urgency' | 'topic'>, sender: string): PushMessage {
    const subscription = this.#receiving(
      [...this.#stored.values()].find((s) => s.endpoint === endpoint),
      endpoint,
    );
    const vapid: VapidClaims = { scheme: 'vapid', publicKey: subscription.applicationServerKey, subject: sender, audience: this.#server.origin, expiresAt: 0 };
    const message = this.#accept(subscription, { ...fields, contentEncoding: 'aes128gcm', bodyBytes: Buffer.byteLength(fields.payload), vapid });
    return { ...message };
  }

  /** The subscription a message to `endpoint` goes to; a 404 or 410 refusal when there is none or it is gone. */
  #receiving(subscription: StoredSubscription | undefined, endpoint: string): StoredSubscription {
    if (!subscription) throw new PushRefusal(404, `No subscription has this endpoint (${endpoint}).`);
    if (subscription.state !== 'active') {
      throw new PushRefusal(
        410,
        `The subscription is gone (${subscription.state === 'expired' ? 'expired' : 'the page unsubscribed'}): delete it from your backend.`,
      );
    }
    return subscription;
  }

  /** @internal The live state of a message this service accepted. */
  messageState(id: string): Pick<PushMessage, 'state' | 'status' | 'error'> | undefined {
    const found = this.#received.find((m) => m.id === id);
    return found && { state: found.state, status: found.status, error: found.error };
  }

  #accept(
    subscription: StoredSubscription,
    fields: Pick<PushMessage, 'payload' | 'contentEncoding' | 'bodyBytes' | 'ttl' | 'urgency' | 'topic' | 'vapid'>,
  ): PushMessage {
    const id = randomUUID();
    const message: PushMessage = {
      id,
      location: `${this.url}/messages/${id}`,
      endpoint: subscription.endpoint,
      scope: subscription.scope,
      ...fields,
      receivedAt: Date.now(),
      state: 'pending',
    };
    this.#received.push(message);
    this.#note(
      `201 message ${id} for ${subscription.scope}: ${JSON.stringify(truncate(message.payload, 100))} (${message.contentEncoding ?? 'no payload'}, ` +
        `TTL ${message.ttl}, Urgency ${message.urgency}${message.topic ? `, Topic ${message.topic}` : ''}, VAPID ${message.vapid.scheme} sub ${message.vapid.subject})`,
    );
    if (!this.#held) {
      this.#enqueue(message);
      return message;
    }
    if (message.ttl === 0) {
      message.state = 'dropped';
      this.#note(`dropped message ${id}: TTL 0 and delivery is held`);
      return message;
    }
    if (message.topic) {
      for (const older of this.#received) {
        if (older !== message && older.state === 'pending' && older.endpoint === message.endpoint && older.topic === message.topic) {
          older.state = 'replaced';
          this.#note(`message ${older.id} replaced by ${id} (Topic ${message.topic})`);
        }
      }
    }
    return message;
  }
}

export function isPushService(value: unknown): value is PushService {
  return hasBrand(value, PUSH_SERVICE_BRAND);
}

// A named type, not a literal: API Extractor attaches what it says about a literal's types to no declaration.
export interface StartPushServiceOptions {
  deliverTo: PushDeliveryTarget;
  context?: BrowserContext;
}

/**
 * Starts a push service on a server of its own.
 * @example
 * const service = await startPushService({ deliverTo: services, context });
 */
export async function startPushService(options: StartPushServiceOptions): Promise<PushService> {
  const server = await PushServiceServer.start();
  try {
    const service = server.createService(options);
    service.stopServer = () => server.close();
    if (options.context) await service.install(options.context);
    return service;
  } catch (error) {
    await server.close();
    throw error;
  }
}
