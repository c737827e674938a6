import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { localCertificate, readBody, watchHandshakes, type HandshakeFailure } from '../cdp/localHttps.js';
import { registerInRun, runSetup, type RunSetup } from '../cdp/run.js';
import { FcmApiError, invalidArgument, topicName, translateMessage, unregistered, senderIdMismatch, TOKEN_PATTERN, type TranslatedMessage } from './message.js';
import { FcmProxy } from './proxy.js';
import { FCM_HOSTS } from './redirect.js';

/** @internal What the server keeps of a token. */
export interface FcmTokenRecord {
  token: string;
  fid: string;
  projectId: string;
  senderId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  state: 'active' | 'deleted' | 'expired';
  createdAt: number;
}

/** @internal What the server asks of a test's stand-in (FcmStandIn). */
export interface FcmStandInScope {
  note(line: string): void;
  refuse(projectId: string, body: unknown, error: FcmApiError): void;
  senderIdOf(projectId: string): string | undefined;
  matchesCondition(condition: string, topics: ReadonlySet<string>): boolean;
  accept(accepted: { name: string; projectId: string; message: TranslatedMessage; validateOnly: boolean; recipients: FcmTokenRecord[] }): void;
}
type FcmStandIn = FcmStandInScope;

type Request = Http2ServerRequest;
type Response = Http2ServerResponse;

function readJson(request: Request): Promise<unknown> {
  return readJsonBody(request, request.headers);
}

/** The `:APA91b<route>` part of a token: which run's server handed it out (`FcmServer.route`). */
export const TOKEN_ROUTE = /:APA91b([A-Za-z0-9_-]{8})/;

/** FCM's answer to a service account's jwt-bearer exchange, with the access token `mint()` makes. */
export function answerOAuth(body: Record<string, unknown>, mint: () => string): { status: number; body: Record<string, unknown>; issuer?: string } {
  if (body.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || typeof body.assertion !== 'string') {
    return { status: 400, body: { error: 'invalid_grant', error_description: 'Expected a service account JWT assertion (grant_type jwt-bearer).' } };
  }
  const claims = jwtClaims(body.assertion);
  if (typeof claims.iss !== 'string')
    return { status: 400, body: { error: 'invalid_grant', error_description: 'The assertion has no iss (the client_email).' } };
  return { status: 200, body: { access_token: mint(), expires_in: 3599, token_type: 'Bearer' }, issuer: claims.iss };
}

/** An access token that every server of the run accepts (a webServer backend's, through the run's FCM front). */
export function runAccessToken(run: RunSetup): string {
  return `ya29.pwbs-${run.secret}-${randomBytes(24).toString('base64url')}`;
}

export async function readJsonBody(request: Readable, headers: { 'content-type'?: string }, limit = 1024 * 1024): Promise<unknown> {
  const text = (await readBody(request, limit)).body.toString('utf8');
  if (String(headers['content-type']).includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw invalidArgument(`Invalid JSON payload received. ${JSON.stringify(text.slice(0, 80))} is not JSON.`);
  }
}

function send(response: Response, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** The decoded payload of a JWT, unverified (`{}` when it is none). */
function jwtClaims(jwt: unknown): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The HTTPS server behind the FCM stand-ins of one worker: FCM's HTTP v1 API, IID's topic
 * management and the OAuth token exchange, over HTTP/1.1 and HTTP/2 on one port. It answers by
 * the request's host name (a backend keeps Google's names; only the connection is redirected), and
 * holds what outlives one send: the registration tokens, topics and access tokens of every stand-in.
 */
export class FcmServer {
  readonly #server: Http2SecureServer;
  readonly #sockets = new Set<Socket>();
  readonly #standIns = new Set<FcmStandIn>();
  readonly #tokens = new Map<string, { standIn: FcmStandIn; record: FcmTokenRecord }>();
  readonly #accessTokens = new Map<string, FcmStandIn | undefined>();
  readonly #topics = new Map<string, Set<string>>();
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** PEM, valid for 127.0.0.1, localhost and the Google hosts the stand-in answers. */
  readonly certificate: string;
  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  readonly spkiPin: string;
  /** @internal Eight characters in each token it hands out (`TOKEN_ROUTE`), by which the run's FCM front finds it. */
  readonly route = randomBytes(6).toString('base64url');
  readonly #run: RunSetup | undefined;
  #unregister: (() => void) | undefined;
  /** @internal The handshakes its clients broke off lately. */
  readonly handshakeFailures: HandshakeFailure[];

  /** @internal The HTTPS proxy of `fcm.env`, in front of this server. */
  readonly proxy: FcmProxy;

  private constructor(server: Http2SecureServer, certificate: string, run: RunSetup | undefined, proxy: FcmProxy) {
    this.#server = server;
    this.#run = run;
    this.proxy = proxy;
    this.port = (server.address() as AddressInfo).port;
    this.origin = `https://127.0.0.1:${this.port}`;
    this.certificate = certificate;
    const der = createPublicKey(certificate).export({ type: 'spki', format: 'der' });
    this.spkiPin = createHash('sha256').update(der).digest('base64');
    server.on('request', (request: Request, response: Response) => void this.#handle(request, response));
    this.handshakeFailures = watchHandshakes(server);
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** @internal Listens on a free port of 127.0.0.1 with a fresh certificate for FCM's hosts. */
  static async start(): Promise<FcmServer> {
    const run = runSetup();
    const pems = localCertificate(FCM_HOSTS);
    const server = createSecureServer({ key: pems.private, cert: pems.cert, allowHTTP1: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    let created: FcmServer | undefined;
    const proxy = await FcmProxy.start(
      (host) => ((FCM_HOSTS as readonly string[]).includes(host) ? port : undefined),
      ({ host, port: to, to: where, detail }) => {
        const line = `proxy: CONNECT ${host}:${to} ${{ 'stand-in': 'to the stand-in', direct: 'tunnelled unchanged', refused: `refused (${detail})` }[where]}`;
        if (created) for (const standIn of created.#standIns) standIn.note(line);
      },
    );
    const fcm = (created = new FcmServer(server, pems.cert, run, proxy));
    if (run) {
      fcm.#unregister = registerInRun(run, 'fcm-servers', fcm.route, fcm.port);
    }
    return fcm;
  }

  /** @internal */
  add(standIn: FcmStandIn): () => void {
    this.#standIns.add(standIn);
    return () => {
      this.#standIns.delete(standIn);
      for (const [token, entry] of this.#tokens) if (entry.standIn === standIn) this.#tokens.delete(token);
      for (const [token, owner] of this.#accessTokens) if (owner === standIn) this.#accessTokens.delete(token);
    };
  }

  /** @internal A registration token handed out by a stand-in, now known to the API. */
  registerToken(standIn: FcmStandIn, record: FcmTokenRecord): void {
    this.#tokens.set(record.token, { standIn, record });
  }

  /** @internal An access token for `standIn` (its admin credential), or for any (the OAuth exchange). */
  issueAccessToken(standIn?: FcmStandIn): string {
    const token = !standIn && this.#run ? runAccessToken(this.#run) : `ya29.pwbs-${randomBytes(24).toString('base64url')}`;
    this.#accessTokens.set(token, standIn);
    return token;
  }

  /** @internal The topics a token is subscribed to. */
  topicsOf(projectId: string, token: string): string[] {
    return [...this.#topics].filter(([key, tokens]) => key.startsWith(`${projectId}/`) && tokens.has(token)).map(([key]) => key.slice(projectId.length + 1));
  }

  async #handle(request: Request, response: Response): Promise<void> {
    const host = (request.headers[':authority'] ?? request.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(request.url ?? '/', 'https://fcm.googleapis.com');
    try {
      if (host === 'oauth2.googleapis.com' && url.pathname === '/token') return await this.#oauth(request, response);
      if (host === 'iid.googleapis.com') return await this.#iid(request, response, url);
      const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(url.pathname);
      if (send && request.method === 'POST') return await this.#send(request, response, decodeURIComponent(send[1]!));
      request.resume();
      throw new FcmApiError(404, 'NOT_FOUND', `The FCM stand-in does not answer ${request.method} https://${host}${url.pathname}.`);
    } catch (error) {
      if (error instanceof FcmApiError) return send(response, error.httpStatus, error.body());
      send(response, 500, new FcmApiError(500, 'INTERNAL', `The FCM stand-in failed: ${(error as Error).message}`).body());
    }
  }

  async #oauth(request: Request, response: Response): Promise<void> {
    const answer = answerOAuth((await readJson(request)) as Record<string, unknown>, () => this.issueAccessToken());
    if (answer.issuer) for (const standIn of this.#standIns) standIn.note(`OAuth token issued to ${answer.issuer}`);
    send(response, answer.status, answer.body);
  }

  #caller(request: Request): FcmStandIn | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer && this.#run && bearer.startsWith(`ya29.pwbs-${this.#run.secret}-`)) return this.#accessTokens.get(bearer);
    if (!bearer || !this.#accessTokens.has(bearer)) {
      request.resume();
      throw new FcmApiError(
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential. Expected OAuth 2 access token (use fcm.adminOptions, or a service account through fcm.env).',
      );
    }
    return this.#accessTokens.get(bearer);
  }

  async #iid(request: Request, response: Response, url: URL): Promise<void> {
    this.#caller(request);
    const action = /^\/iid\/v1:(batchAdd|batchRemove)$/.exec(url.pathname)?.[1];
    if (!action || request.method !== 'POST') {
      request.resume();
      throw new FcmApiError(404, 'NOT_FOUND', `The FCM stand-in does not answer ${request.method} https://iid.googleapis.com${url.pathname}.`);
    }
    const body = (await readJson(request)) as { to?: unknown; registration_tokens?: unknown };
    if (typeof body.to !== 'string' || !Array.isArray(body.registration_tokens)) {
      return send(response, 400, { error: 'InvalidRequest: expected { to: "/topics/<name>", registration_tokens: [...] }' });
    }
    const topic = topicName(body.to);
    const results = body.registration_tokens.map((token: unknown) => {
      const entry = typeof token === 'string' ? this.#tokens.get(token) : undefined;
      if (entry?.record.state !== 'active') return { error: typeof token === 'string' && TOKEN_PATTERN.test(token) ? 'NOT_FOUND' : 'INVALID_ARGUMENT' };
      const key = `${entry.record.projectId}/${topic}`;
      const members = this.#topics.get(key) ?? new Set<string>();
      if (action === 'batchAdd') members.add(entry.record.token);
      else members.delete(entry.record.token);
      this.#topics.set(key, members);
      entry.standIn.note(
        `${action === 'batchAdd' ? 'subscribed' : 'unsubscribed'} ${entry.record.token.slice(0, 12)}… ${action === 'batchAdd' ? 'to' : 'from'} topic ${topic}`,
      );
      return {};
    });
    send(response, 200, { results });
  }

  async #send(request: Request, response: Response, projectId: string): Promise<void> {
    const caller = this.#caller(request);
    const body = await readJson(request);
    let refusedBy: Iterable<FcmStandIn> = caller ? [caller] : this.#standIns;
    try {
      const { message, validateOnly } = translateMessage(body, projectId);
      const token = 'token' in message.target ? this.#tokens.get(message.target.token) : undefined;
      if (token) refusedBy = [token.standIn];
      const recipients = this.#recipients(projectId, message);
      message.payload.from = recipients[0]?.record.senderId ?? caller?.senderIdOf(projectId) ?? projectId;
      const owners = new Set(recipients.map((entry) => entry.standIn));
      if (caller) owners.add(caller);
      if (!owners.size) for (const standIn of this.#standIns) owners.add(standIn);
      const name = `projects/${projectId}/messages/${String(message.payload.fcmMessageId)}`;
      for (const standIn of owners) {
        const mine = recipients.filter((entry) => entry.standIn === standIn).map((entry) => entry.record);
        standIn.accept({ name, projectId, message, validateOnly, recipients: mine });
      }
      send(response, 200, { name });
    } catch (error) {
      if (error instanceof FcmApiError) for (const standIn of refusedBy) standIn.refuse(projectId, body, error);
      throw error;
    }
  }

  #recipients(projectId: string, message: TranslatedMessage): Array<{ standIn: FcmStandIn; record: FcmTokenRecord }> {
    const { target } = message;
    if ('token' in target) {
      const entry = this.#tokens.get(target.token);
      if (entry?.record.state !== 'active') throw unregistered();
      if (entry.record.projectId !== projectId) throw senderIdMismatch();
      return [entry];
    }
    const active = [...this.#tokens.values()].filter((entry) => entry.record.projectId === projectId && entry.record.state === 'active');
    if ('topic' in target) return active.filter((entry) => this.#topics.get(`${projectId}/${target.topic}`)?.has(entry.record.token));
    return active.filter((entry) => entry.standIn.matchesCondition(target.condition, new Set(this.topicsOf(projectId, entry.record.token))));
  }

  /** @internal */
  async close(): Promise<void> {
    this.#unregister?.();
    await this.proxy.close();
    if (!this.#server.listening) return;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
