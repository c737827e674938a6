import { connect, createSecureServer, type ClientHttp2Session, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { HANDSHAKE_FAILURES, liveWorkers, type RunSetup } from '../cdp/run.js';
import { watchHandshakes } from '../cdp/localHttps.js';
import { appendFileSync } from 'node:fs';
import { FcmApiError, TOKEN_PATTERN, unregistered } from '../fcm/message.js';
import { answerOAuth, readJsonBody, runAccessToken, TOKEN_ROUTE } from '../fcm/server.js';

interface Answer {
  status: number;
  body: Buffer;
}

const json = (status: number, body: unknown): Answer => ({ status, body: Buffer.from(JSON.stringify(body)) });

/**
 * The run's FCM front, at a port fixed when the config loads: a `webServer` backend's connections
 * to FCM's hosts come here (the redirect in its `NODE_OPTIONS`), and each request goes on to the
 * worker whose stand-in handed out its token (the token's route), so that a message reaches the
 * test that owns the token. What has no token (a topic, a condition, a malformed message) goes to
 * every worker; the OAuth exchange is answered here, with an access token every worker accepts.
 */
export class FcmFront {
  readonly #sessions = new Map<number, ClientHttp2Session>();
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly run: RunSetup,
    private readonly server: ReturnType<typeof createSecureServer>,
  ) {
    server.on('request', (request: Http2ServerRequest, response: Http2ServerResponse) => void this.#handle(request, response));
    // The workers' stand-ins read them: a backend that refused this certificate sent them nothing.
    watchHandshakes(server, (failure) => appendFileSync(join(run.dir, HANDSHAKE_FAILURES), `${JSON.stringify(failure)}\n`));
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static listen(run: RunSetup): FcmFront {
    const server = createSecureServer({ key: run.key, cert: run.certificate, allowHTTP1: true });
    server.listen(run.fcmPort, '127.0.0.1');
    // The runner's own lifetime decides: this server never keeps it alive.
    server.unref();
    return new FcmFront(run, server);
  }

  /** The live workers' FCM servers, by route. */
  #workers(): Map<string, number> {
    return liveWorkers(this.run, 'fcm-servers');
  }

  async #handle(request: Http2ServerRequest, response: Http2ServerResponse): Promise<void> {
    const host = (request.headers[':authority'] ?? request.headers.host ?? '').replace(/:\d+$/, '');
    const path = request.url ?? '/';
    let answer: Answer;
    try {
      const raw = (await readJsonBody(request, request.headers)) as Record<string, unknown>;
      const body = Buffer.from(JSON.stringify(raw));
      if (host === 'oauth2.googleapis.com' && path.startsWith('/token')) {
        const oauth = answerOAuth(raw, () => runAccessToken(this.run));
        answer = json(oauth.status, oauth.body);
      } else if (host === 'iid.googleapis.com') {
        answer = await this.#topics(request, path, raw);
      } else {
        const message = (raw.message ?? {}) as Record<string, unknown>;
        const route = typeof message.token === 'string' ? TOKEN_ROUTE.exec(message.token)?.[1] : undefined;
        const workers = this.#workers();
        const port = route === undefined ? undefined : workers.get(route);
        answer =
          port !== undefined
            ? await this.#forward(port, request, host, path, body)
            : route !== undefined || (typeof message.token === 'string' && TOKEN_PATTERN.test(message.token))
              ? json(404, unregistered().body())
              : await this.#everyWorker(workers, request, host, path, body);
      }
    } catch (error) {
      answer =
        error instanceof FcmApiError
          ? json(error.httpStatus, error.body())
          : json(502, new FcmApiError(502, 'UNAVAILABLE', `The run's FCM front failed: ${(error as Error).message}`).body());
    }
    if (!response.headersSent) response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' }).end(answer.body);
  }

  /** IID's batchAdd and batchRemove: each token to its worker, the results back in the request's order. */
  async #topics(request: Http2ServerRequest, path: string, raw: Record<string, unknown>): Promise<Answer> {
    const tokens = Array.isArray(raw.registration_tokens) ? (raw.registration_tokens as unknown[]) : undefined;
    const workers = this.#workers();
    if (!tokens) return this.#everyWorker(workers, request, 'iid.googleapis.com', path, Buffer.from(JSON.stringify(raw)));
    const results: unknown[] = tokens.map((token) => ({ error: typeof token === 'string' && TOKEN_PATTERN.test(token) ? 'NOT_FOUND' : 'INVALID_ARGUMENT' }));
    const byPort = new Map<number, number[]>();
    tokens.forEach((token, index) => {
      const port = workers.get((typeof token === 'string' && TOKEN_ROUTE.exec(token)?.[1]) || '');
      if (port !== undefined) byPort.set(port, [...(byPort.get(port) ?? []), index]);
    });
    for (const [port, indexes] of byPort) {
      const part = { ...raw, registration_tokens: indexes.map((index) => tokens[index]) };
      const answer = await this.#forward(port, request, 'iid.googleapis.com', path, Buffer.from(JSON.stringify(part)));
      if (answer.status !== 200) return answer;
      const partResults = (JSON.parse(answer.body.toString('utf8')) as { results: unknown[] }).results;
      indexes.forEach((index, at) => (results[index] = partResults[at]));
    }
    return json(200, { results });
  }

  /** Sends to every worker; answers the first success, else the first answer. */
  async #everyWorker(workers: Map<string, number>, request: Http2ServerRequest, host: string, path: string, body: Buffer): Promise<Answer> {
    if (!workers.size) {
      return json(503, new FcmApiError(503, 'UNAVAILABLE', 'No test is running: the FCM stand-in answers while a test that uses the fcm fixture runs.').body());
    }
    const answers = await Promise.all([...workers.values()].map((port) => this.#forward(port, request, host, path, body)));
    return answers.find((answer) => answer.status === 200) ?? answers[0]!;
  }

  #forward(port: number, request: Http2ServerRequest, host: string, path: string, body: Buffer): Promise<Answer> {
    let session = this.#sessions.get(port);
    if (!session || session.closed || session.destroyed) {
      session = connect(`https://127.0.0.1:${port}`, { ca: this.run.certificate, servername: 'fcm.googleapis.com' });
      session.on('error', () => this.#sessions.delete(port));
      session.on('close', () => this.#sessions.delete(port));
      session.unref();
      this.#sessions.set(port, session);
    }
    const stream = session.request({
      ':method': request.method,
      ':path': path,
      ':authority': host,
      'content-type': 'application/json',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    return new Promise<Answer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 502;
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      stream.on('error', reject);
      stream.end(body);
    });
  }

  close(): void {
    for (const session of this.#sessions.values()) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
    this.server.close();
  }
}
