import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { dirname, join } from 'node:path';
import type { BrowserContext, Request, Route } from '@playwright/test';
import { truncate } from '../background-services/events.js';
import { hasBrand } from '../cdp/brand.js';
import { handshakeHint, type HandshakeFailure } from '../cdp/localHttps.js';
import { HANDSHAKE_FAILURES, runCertificateFile, runSetup } from '../cdp/run.js';
import { Emitter } from '../cdp/emitter.js';
import type { PushMessageState, PushService } from '../push/service.js';
import { PushRefusal } from '../push/vapid.js';
import { conditionMatches, FcmApiError, parseCondition, unregistered, type FcmTarget, type TranslatedMessage } from './message.js';
import { noProxyList } from './proxy.js';
import { FCM_HOSTS, redirectPreloadScript } from './redirect.js';
import type { FcmServer, FcmTokenRecord } from './server.js';

const FCM_BRAND = Symbol.for('playwright-background-services.fcm');

/** A token the stand-in gave the page's Firebase SDK. */
export interface FcmToken {
  token: string;
  projectId: string;
  /** The push subscription behind the token. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** `deleted` after the page's `deleteToken()`; `expired` once its push subscription is gone. */
  state: 'active' | 'deleted' | 'expired';
  topics: string[];
  createdAt: number;
}

/** `validated` for `validate_only`, `no-recipients` when no token matched; else its push messages' state. */
export type FcmMessageState = PushMessageState | 'validated' | 'no-recipients';

/** A message the stand-in accepted from `messages:send`. */
export interface FcmMessage {
  /** `projects/<id>/messages/<id>`, as `send()` resolves with. */
  name: string;
  projectId: string;
  target: FcmTarget;
  /** What the service worker's `event.data.json()` gets. */
  payload: Record<string, unknown>;
  notification?: Record<string, unknown>;
  data?: Record<string, string>;
  ttl: number;
  urgency: string;
  /** The tokens it went to. */
  tokens: string[];
  state: FcmMessageState;
  receivedAt: number;
}

/** A `messages:send` that the stand-in refused, as FCM would. */
export interface FcmRefusal {
  projectId: string;
  status: number;
  errorCode: string;
  reason: string;
  receivedAt: number;
}

interface Installation {
  fid: string;
  projectId: string;
  appId: string;
  refreshToken: string;
  authTokens: Set<string>;
}

interface AcceptedMessage {
  name: string;
  projectId: string;
  message: TranslatedMessage;
  validateOnly: boolean;
  tokens: string[];
  pushIds: string[];
  state?: FcmMessageState;
  receivedAt: number;
}

// Google's hosts a Firebase web app talks to. Whatever the stand-in does not answer on them is
// answered with a 404, so that nothing of a test leaves the machine.
const GOOGLE_HOST = /^(?:[a-z0-9-]+\.)*(?:googleapis\.com|gstatic\.com|google\.com|google-analytics\.com|googletagmanager\.com)$/i;

// The project's `firebase` package, found once per working directory: every test's SDK files come from it.
const firebasePackages = new Map<string, { dir: string; version: string } | undefined>();
function firebasePackage(): { dir: string; version: string } | undefined {
  const cwd = process.cwd();
  if (!firebasePackages.has(cwd)) {
    let found: { dir: string; version: string } | undefined;
    try {
      const manifest = createRequire(join(cwd, 'package.json')).resolve('firebase/package.json');
      found = { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
    } catch {
      found = undefined;
    }
    firebasePackages.set(cwd, found);
  }
  return firebasePackages.get(cwd);
}

/** Writes a throwaway service account (a fresh RSA key) for `GOOGLE_APPLICATION_CREDENTIALS`. */
export function writeServiceAccount(path: string): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account = {
    type: 'service_account',
    project_id: 'playwright-background-services',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: 'fcm-stand-in@playwright-background-services.iam.gserviceaccount.com',
    client_id: '100000000000000000000',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  writeFileSync(path, JSON.stringify(account, null, 2), { mode: 0o600 });
}

/**
 * The environment of a backend that reaches FCM's hosts through the stand-in (`fcm.env`, and
 * `backgroundServicesWebServer().env` for the run): the Node redirect, the certificate, a service
 * account, and for other languages the HTTPS proxy and a CA bundle.
 */
export function standInEnv(
  files: { preload: string; certificate: string; serviceAccount: string; caBundle: string },
  proxyUrl: string,
): Record<string, string> {
  const noProxy = noProxyList(process.env.NO_PROXY ?? process.env.no_proxy, FCM_HOSTS);
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : ''}--require ${files.preload}`,
    NODE_EXTRA_CA_CERTS: files.certificate,
    GOOGLE_APPLICATION_CREDENTIALS: files.serviceAccount,
    // No probe of the GCE metadata server, which is off this machine.
    METADATA_SERVER_DETECTION: 'none',
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    // Each replaces its client's CA bundle, so the file also holds the system's roots: tunnelled hosts still verify.
    SSL_CERT_FILE: files.caBundle,
    REQUESTS_CA_BUNDLE: files.caBundle,
    CURL_CA_BUNDLE: files.caBundle,
    GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: files.caBundle,
  };
}

/** The roots that SSL_CERT_FILE and its kin replace: the user's own bundle, the system's, or Node's. */
export function systemRoots(): string {
  const files = [process.env.SSL_CERT_FILE, '/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];
  for (const file of files) {
    try {
      if (file && !file.includes('pwbs-fcm-')) return readFileSync(file, 'utf8');
    } catch {
      // not this one
    }
  }
  return rootCertificates.join('\n');
}

/** A local stand-in for Firebase Cloud Messaging, for one test. See docs/fcm.md. */
export class FcmStandIn {
  /** @internal */
  readonly [FCM_BRAND] = true;
  readonly #server: FcmServer;
  readonly #push: PushService;
  readonly #records: FcmTokenRecord[] = [];
  readonly #installations = new Map<string, Installation>();
  readonly #messages: AcceptedMessage[] = [];
  readonly #refused: FcmRefusal[] = [];
  readonly #lines: string[] = [];
  readonly #changed = new Emitter();
  readonly #accessToken: string;
  readonly #remove: () => void;
  readonly #offPush: () => void;
  #files: string | undefined;
  #closed = false;
  readonly #createdAt = Date.now();

  /** @internal Use the `fcm` fixture. */
  constructor(server: FcmServer, push: PushService) {
    this.#server = server;
    this.#push = push;
    this.#remove = server.add(this);
    this.#accessToken = server.issueAccessToken(this);
    this.#offPush = push.subscribe(() => this.#changed.emit());
  }

  /** The tokens handed out, with their subscriptions and topics. */
  get tokens(): readonly FcmToken[] {
    return this.#records.map(({ token, projectId, endpoint, keys, state, createdAt }) => ({
      token,
      projectId,
      subscription: { endpoint, keys: { ...keys } },
      state,
      topics: this.#server.topicsOf(projectId, token),
      createdAt,
    }));
  }

  /** Every send the stand-in accepted, and where it went. */
  get messages(): readonly FcmMessage[] {
    return this.#messages.map((m) => {
      const { notification, data } = m.message.payload as { notification?: Record<string, unknown>; data?: Record<string, string> };
      return {
        name: m.name,
        projectId: m.projectId,
        target: m.message.target,
        payload: m.message.payload,
        ...(notification ? { notification } : {}),
        ...(data ? { data } : {}),
        ttl: m.message.ttl,
        urgency: m.message.urgency,
        tokens: [...m.tokens],
        state: m.state ?? this.#stateOf(m),
        receivedAt: m.receivedAt,
      };
    });
  }

  /** @internal Why a backend's sends may never have arrived: it refused the stand-in's certificate. */
  get certificateHints(): string[] {
    const run = runSetup();
    const failures = [...this.#server.handshakeFailures];
    if (run) {
      try {
        for (const line of readFileSync(join(run.dir, HANDSHAKE_FAILURES), 'utf8').split('\n')) if (line) failures.push(JSON.parse(line) as HandshakeFailure);
      } catch {
        // No file: no backend broke off a handshake with the run's FCM front.
      }
    }
    const file = run ? runCertificateFile(run) : '<fcm.env.NODE_EXTRA_CA_CERTS>';
    return handshakeHint(
      failures.sort((a, b) => a.at - b.at),
      this.#createdAt,
      'FCM stand-in',
      `NODE_EXTRA_CA_CERTS=${file} (fcm.env for a backend the test starts, backgroundServicesWebServer().env for a webServer backend), or fcm.adminOptions in the test's own process`,
    );
  }

  get rejected(): readonly FcmRefusal[] {
    return [...this.#refused];
  }

  get log(): readonly string[] {
    return [...this.#lines];
  }

  /** For firebase-admin's `initializeApp()` in the test's process. */
  get adminOptions(): { credential: { getAccessToken(): Promise<{ access_token: string; expires_in: number }> } } {
    const token = this.#accessToken;
    return { credential: { getAccessToken: () => Promise.resolve({ access_token: token, expires_in: 3600 }) } };
  }

  /** A backend's environment that reaches the stand-in (docs/fcm.md). */
  get env(): Record<string, string> {
    const files = this.#writeFiles();
    const proxy = this.#server.proxy.url;
    return standInEnv(files, proxy);
  }

  #writeFiles(): { preload: string; certificate: string; caBundle: string; serviceAccount: string } {
    this.#files ??= mkdtempSync(join(tmpdir(), 'pwbs-fcm-'));
    const dir = this.#files;
    const paths = {
      preload: join(dir, 'redirect.cjs'),
      certificate: join(dir, 'fcm-stand-in.pem'),
      caBundle: join(dir, 'ca-bundle.pem'),
      serviceAccount: join(dir, 'service-account.json'),
    };
    if (!existsSync(paths.serviceAccount)) {
      writeFileSync(paths.preload, redirectPreloadScript(this.#server.port, this.#server.certificate));
      writeFileSync(paths.certificate, this.#server.certificate);
      writeFileSync(paths.caBundle, `${this.#server.certificate.trim()}\n${systemRoots().trim()}\n`);
      writeServiceAccount(paths.serviceAccount);
    }
    return paths;
  }

  /** @internal Calls back on every change; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  /** @internal */
  note(line: string): void {
    this.#lines.push(`${new Date().toISOString()} ${line}`);
    this.#changed.emit();
  }

  /** @internal */
  refuse(projectId: string, body: unknown, error: FcmApiError): void {
    this.#refused.push({ projectId, status: error.httpStatus, errorCode: error.errorCode ?? error.status, reason: error.message, receivedAt: Date.now() });
    this.note(
      `${error.httpStatus} ${error.errorCode ?? error.status} messages:send (${projectId}): ${error.message} ${truncate(JSON.stringify(body) ?? '', 200)}`,
    );
  }

  /** @internal The sender id (project number) of `projectId`'s web app, read from its app id. */
  senderIdOf(projectId: string): string | undefined {
    return this.#records.find((r) => r.projectId === projectId)?.senderId;
  }

  /** @internal */
  matchesCondition(condition: string, topics: ReadonlySet<string>): boolean {
    return conditionMatches(parseCondition(condition), topics);
  }

  /**
   * @internal A send the server accepted, for the tokens of this stand-in among `recipients`.
   * Throws UNREGISTERED where the one token's push subscription is gone.
   */
  accept(accepted: { name: string; projectId: string; message: TranslatedMessage; validateOnly: boolean; recipients: FcmTokenRecord[] }): void {
    const { message, validateOnly } = accepted;
    const entry: AcceptedMessage = { ...accepted, tokens: [], pushIds: [], receivedAt: Date.now() };
    if (validateOnly) entry.state = 'validated';
    else {
      for (const record of accepted.recipients) {
        try {
          const pushed = this.#push.acceptFromNetwork(
            record.endpoint,
            { payload: JSON.stringify(message.payload), ttl: message.ttl, urgency: message.urgency, topic: message.topic },
            'FCM stand-in',
          );
          entry.tokens.push(record.token);
          entry.pushIds.push(pushed.id);
        } catch (error) {
          if (!(error instanceof PushRefusal)) throw error;
          record.state = 'expired';
          this.note(`token ${record.token.slice(0, 12)}… is unregistered: its push subscription is gone (${error.message})`);
          if ('token' in message.target) throw unregistered();
        }
      }
      if (!entry.tokens.length) entry.state = 'no-recipients';
    }
    this.#messages.push(entry);
    this.note(
      `accepted ${accepted.name}${validateOnly ? ' (validate_only)' : ''} → ${JSON.stringify(message.target)}: ${entry.tokens.length} token(s), ` +
        `TTL ${message.ttl}, Urgency ${message.urgency}${message.topic ? `, Topic ${message.topic}` : ''}`,
    );
  }

  #stateOf(message: AcceptedMessage): FcmMessageState {
    const states = message.pushIds.map((id) => this.#push.messageState(id)?.state ?? 'failed');
    for (const state of ['failed', 'pending', 'expired', 'dropped', 'replaced'] as const) if (states.includes(state)) return state;
    return 'delivered';
  }

  /**
   * Answers the Firebase web SDK's Google APIs in `context`, and other Google hosts with a 404.
   * @example
   * await fcm.install(context);
   */
  async install(context: BrowserContext): Promise<void> {
    await context.route(
      (url) => GOOGLE_HOST.test(url.hostname),
      (route) => this.#answer(route),
    );
  }

  async #answer(route: Route): Promise<void> {
    const request = route.request();
    const url = new URL(request.url());
    const cors = {
      'access-control-allow-origin': (await request.headerValue('origin')) ?? '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': '*',
    };
    const json = (status: number, body: unknown) =>
      route.fulfill({ status, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (this.#closed) return json(503, { error: { code: 503, message: 'The FCM stand-in of this test has ended.', status: 'UNAVAILABLE' } });
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: { ...cors, 'access-control-max-age': '600' } });
    try {
      if (url.hostname === 'firebaseinstallations.googleapis.com') return await json(200, this.#installationsApi(request, url));
      if (url.hostname === 'fcmregistrations.googleapis.com') return await json(200, this.#registrationsApi(request, url));
      if (url.hostname === 'www.gstatic.com' && url.pathname.startsWith('/firebasejs/')) return await this.#sdkFile(route, url, cors);
      if (url.hostname === 'play.google.com' && url.pathname === '/log') {
        this.note(`answered delivery metrics: ${request.method()} ${url.hostname}${url.pathname}`);
        return await json(200, { nextRequestWaitMillis: 3_600_000 });
      }
      this.note(`404 for ${request.method()} ${url.href.slice(0, 120)}: a Google host the FCM stand-in does not answer`);
      return await json(404, { error: { code: 404, message: `Not answered by the FCM stand-in: ${url.hostname}${url.pathname}`, status: 'NOT_FOUND' } });
    } catch (error) {
      if (error instanceof FcmApiError) {
        this.note(`${error.httpStatus} ${request.method()} ${url.hostname}${url.pathname}: ${error.message}`);
        return json(error.httpStatus, error.body());
      }
      throw error;
    }
  }

  #installationFor(request: Request): Installation | undefined {
    const auth = request.headers()['x-goog-firebase-installations-auth']?.replace(/^FIS\s+/, '');
    return [...this.#installations.values()].find((i) => auth !== undefined && i.authTokens.has(auth));
  }

  #installationsApi(request: Request, url: URL): unknown {
    const match = /^\/v1\/projects\/([^/]+)\/installations(?:\/([^/:]+))?(\/authTokens:generate)?$/.exec(url.pathname);
    if (!match) throw new FcmApiError(404, 'NOT_FOUND', `Unknown Installations API path ${url.pathname}`);
    const [, projectId, fid, generate] = match as unknown as [string, string, string | undefined, string | undefined];
    if (!request.headers()['x-goog-api-key'])
      throw new FcmApiError(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    const authToken = () => ({ token: `pwbs.fis.${randomBytes(24).toString('base64url')}`, expiresIn: '604800s' });
    if (request.method() === 'POST' && !fid) {
      const body = (request.postDataJSON() ?? {}) as { fid?: string; appId?: string };
      const installation: Installation = {
        fid: body.fid ?? randomBytes(17).toString('base64url').slice(0, 22),
        projectId,
        appId: body.appId ?? '',
        refreshToken: `pwbs.refresh.${randomBytes(24).toString('base64url')}`,
        authTokens: new Set(),
      };
      const token = authToken();
      installation.authTokens.add(token.token);
      this.#installations.set(installation.fid, installation);
      this.note(`installation ${installation.fid} created for ${projectId} (app ${installation.appId})`);
      return {
        name: `projects/${projectId}/installations/${installation.fid}`,
        fid: installation.fid,
        refreshToken: installation.refreshToken,
        authToken: token,
      };
    }
    const installation = fid ? this.#installations.get(fid) : undefined;
    if (!installation) throw new FcmApiError(404, 'NOT_FOUND', `Installation ${fid} not found.`);
    if (request.method() === 'POST' && generate) {
      const token = authToken();
      installation.authTokens.add(token.token);
      return token;
    }
    if (request.method() === 'DELETE') {
      this.#installations.delete(installation.fid);
      this.note(`installation ${installation.fid} deleted`);
      return {};
    }
    throw new FcmApiError(405, 'INVALID_ARGUMENT', `${request.method()} is not a method of ${url.pathname}`);
  }

  #registrationsApi(request: Request, url: URL): unknown {
    const match = /^\/v1\/projects\/([^/]+)\/registrations(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) throw new FcmApiError(404, 'NOT_FOUND', `Unknown Registrations API path ${url.pathname}`);
    const [, projectId, name] = match as unknown as [string, string, string | undefined];
    const installation = this.#installationFor(request);
    if (!installation)
      throw new FcmApiError(401, 'UNAUTHENTICATED', 'Request is missing a valid Firebase Installations auth token (x-goog-firebase-installations-auth).');
    const method = request.method();
    if (method === 'DELETE') {
      const found = this.#records.find((r) => (r.token === name || r.fid === name) && r.state === 'active');
      if (!found) throw new FcmApiError(404, 'NOT_FOUND', `Registration ${name} not found.`);
      found.state = 'deleted';
      this.note(`token ${found.token.slice(0, 12)}… deleted by the page`);
      return {};
    }
    const body = (request.postDataJSON() ?? {}) as { web?: { endpoint?: string; auth?: string; p256dh?: string } };
    const web = body.web;
    if (!web?.endpoint || !web.auth || !web.p256dh) throw new FcmApiError(400, 'INVALID_ARGUMENT', 'Expected { web: { endpoint, auth, p256dh } }.');
    if (method === 'PATCH') {
      const found = this.#records.find((r) => r.token === name && r.state === 'active');
      if (!found) throw new FcmApiError(404, 'NOT_FOUND', `Registration ${name} not found.`);
      found.endpoint = web.endpoint;
      found.keys = { p256dh: web.p256dh, auth: web.auth };
      this.note(`token ${found.token.slice(0, 12)}… refreshed by the page`);
      return { token: found.token };
    }
    if (method !== 'POST' || name) throw new FcmApiError(405, 'INVALID_ARGUMENT', `${method} is not a method of ${url.pathname}`);
    const record: FcmTokenRecord = {
      token: `${installation.fid}:APA91b${this.#server.route}${randomBytes(96).toString('base64url')}`,
      fid: installation.fid,
      projectId,
      senderId: installation.appId.split(':')[1] ?? projectId,
      endpoint: web.endpoint,
      keys: { p256dh: web.p256dh, auth: web.auth },
      state: 'active',
      createdAt: Date.now(),
    };
    this.#records.push(record);
    this.#server.registerToken(this, record);
    if (!this.#push.subscriptions.some((s) => s.endpoint === web.endpoint)) {
      this.note(`token for ${web.endpoint} is not a subscription of the test's push service: messages to it will not arrive`);
    }
    this.note(`token ${record.token.slice(0, 12)}… handed out for ${projectId}`);
    return { token: record.token, name: `projects/${projectId}/registrations/${installation.fid}` };
  }

  async #sdkFile(route: Route, url: URL, cors: Record<string, string>): Promise<void> {
    const [, , version, file] = url.pathname.split('/');
    const sdk = firebasePackage();
    const path = sdk && file && /^[\w.-]+\.js(?:\.map)?$/.test(file) ? join(sdk.dir, file) : undefined;
    if (!sdk || !path || !existsSync(path)) {
      const why = sdk ? `the firebase package has no ${file}` : 'the firebase package is not installed (npm install -D firebase)';
      this.note(`404 for ${url.href}: ${why}`);
      return route.fulfill({
        status: 404,
        headers: cors,
        contentType: 'text/plain',
        body: `The FCM stand-in serves the Firebase SDK from the firebase package: ${why}.\n`,
      });
    }
    if (sdk.version !== version) this.note(`served firebase ${sdk.version} for ${url.href} (the page asked for ${version})`);
    return route.fulfill({ status: 200, headers: cors, contentType: 'text/javascript', path });
  }

  /** @internal Ends the stand-in: its tokens are unknown to FCM from now on. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#remove();
    this.#offPush();
  }
}

export function isFcmStandIn(value: unknown): value is FcmStandIn {
  return hasBrand(value, FCM_BRAND);
}

/** The "what FCM received" block of messages. */
export function formatFcmMessages(standIn: FcmStandIn): string {
  const { messages, rejected, tokens } = standIn;
  const lines = [
    `FCM tokens: ${tokens.length ? tokens.map((t) => `${t.token.slice(0, 12)}… (${t.state}${t.topics.length ? `, topics ${t.topics.join(', ')}` : ''})`).join(', ') : 'none'}`,
  ];
  if (!messages.length) lines.push('FCM messages: none');
  else {
    lines.push(`FCM messages (${messages.length}):`);
    messages.forEach((m, i) => {
      const shown = { ...(m.notification ? { notification: m.notification } : {}), ...(m.data ? { data: m.data } : {}) };
      lines.push(`  ${i + 1}.  ${m.state}  ${JSON.stringify(m.target)}  ${truncate(JSON.stringify(shown), 160)}`);
    });
  }
  if (rejected.length) lines.push(`Refused (${rejected.length}):`, ...rejected.map((r, i) => `  ${i + 1}.  ${r.status} ${r.errorCode}: ${r.reason}`));
  lines.push(...standIn.certificateHints);
  return lines.join('\n');
}
