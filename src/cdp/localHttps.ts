import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { selfSignedCertificate } from './certificate.js';
import { BackgroundServicesError } from './errors.js';
import { runSetup } from './run.js';

/** An HTTPS server on 127.0.0.1 that the browser trusts by its key's pin, not by a CA. */
export interface LocalHttpsServer {
  server: Server;
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  spkiPin: string;
  /** The self-signed certificate (PEM), for Node clients (`new https.Agent({ ca })`). */
  certificate: string;
}

/**
 * A key and self-signed EC certificate for 127.0.0.1, localhost and `hosts` (a CA, so that Node
 * clients may trust it through `NODE_EXTRA_CA_CERTS`). Under `backgroundServicesWebServer()`, the
 * run's, which a webServer backend already trusts: it names every host of `run.ts`.
 */
export function localCertificate(hosts: readonly string[] = []): { private: string; cert: string } {
  const run = runSetup();
  if (run) return { private: run.key, cert: run.certificate };
  return selfSignedCertificate(hosts[0] ?? '127.0.0.1', hosts);
}

/** Listens on a free port of 127.0.0.1 with a fresh self-signed EC certificate (127.0.0.1 and localhost). */
export async function listenLocalHttps(): Promise<LocalHttpsServer> {
  const pems = localCertificate();
  const der = createPublicKey(pems.cert).export({ type: 'spki', format: 'der' });
  const spkiPin = createHash('sha256').update(der).digest('base64');
  // A browser that does not trust the certificate by its pin (a remote server without the
  // fixtures' flags) still uploads reports over the connection its page accepted: Chromium's
  // uploader refuses any new connection with a certificate error. Keep that connection open.
  const server = createServer({ key: pems.private, cert: pems.cert, keepAliveTimeout: 5 * 60_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `https://127.0.0.1:${port}`, spkiPin, certificate: pems.cert };
}

/** A TLS handshake a client broke off: most often, it refused the server's certificate. */
export interface HandshakeFailure {
  /** Epoch ms. */
  at: number;
  reason: string;
}

/** Keeps the last handshakes that `server`'s clients broke off, newest last. */
export function watchHandshakes(server: import('node:tls').Server, onFailure?: (failure: HandshakeFailure) => void): HandshakeFailure[] {
  const failures: HandshakeFailure[] = [];
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
    // Node's own clients check the certificate after the handshake and hang up; others send an alert.
    const reason = /alert/i.test(error.message) ? error.message.replace(/^.*?:(?=[^:]*alert)/i, '').trim() : 'the client hung up during the TLS handshake';
    const failure = { at: Date.now(), reason };
    failures.push(failure);
    if (failures.length > 20) failures.shift();
    onFailure?.(failure);
  });
  return failures;
}

/**
 * The hint for a server whose clients broke off handshakes since `since`: which client refused
 * which certificate, and how a backend trusts it.
 */
export function handshakeHint(failures: readonly HandshakeFailure[], since: number, server: string, howToTrust: string): string[] {
  const mine = failures.filter((failure) => failure.at >= since);
  if (!mine.length) return [];
  return [
    `A client refused the certificate of the ${server}: ${mine.length} TLS handshake${mine.length === 1 ? '' : 's'} broken off (${mine.at(-1)!.reason}). ` +
      `Trust it in your backend: ${howToTrust}.`,
  ];
}

/** What a `LocalHttpsHost` hands a scope's handler: the request's URL and its path after `/<id>`. */
export interface ScopedRequest {
  url: URL;
  /** The path's segments after the scope's id: `/<id>/reports/main` → `['reports', 'main']`. */
  path: string[];
}

/**
 * One local HTTPS server shared by the scopes of a worker (a push service, a report collector,
 * one per test): one certificate, one port, each scope under `/<id>/`. It answers what they
 * have in common: a request target that is no URL (400), the CORS headers (the page's origin),
 * a scope that is gone (404), and `close()`; `restart()` listens again on the same port.
 */
export class LocalHttpsHost<S> {
  private readonly scopes = new Map<string, S>();
  private restarting = false;

  /** First path segments that are not ids: their requests go to `latest()`. */
  unscoped: readonly string[] | undefined;
  /** The handshakes its clients broke off lately. */
  readonly handshakeFailures: HandshakeFailure[];

  private constructor(
    private readonly local: LocalHttpsServer,
    /** The 404 body for a scope that is not (or no longer) there. */
    private readonly missing: string,
    private readonly route: (scope: S, request: IncomingMessage, response: ServerResponse, scoped: ScopedRequest) => void,
  ) {
    local.server.on('request', (request, response) => this.handle(request, response));
    this.handshakeFailures = watchHandshakes(local.server);
  }

  /**
   * Listens on a free port of 127.0.0.1 (`listenLocalHttps()`) and hands each request to
   * `/<id>/…` to `route` with that id's scope.
   */
  static async start<S>(options: {
    missing: string;
    route: (scope: S, request: IncomingMessage, response: ServerResponse, scoped: ScopedRequest) => void;
  }): Promise<LocalHttpsHost<S>> {
    return new LocalHttpsHost(await listenLocalHttps(), options.missing, options.route);
  }

  /** `https://127.0.0.1:<port>` */
  get origin(): string {
    return this.local.origin;
  }

  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  get spkiPin(): string {
    return this.local.spkiPin;
  }

  /** The self-signed certificate (PEM), for Node clients (`new https.Agent({ ca })`). */
  get certificate(): string {
    return this.local.certificate;
  }

  /** Adds a scope under a new id (its URL is `${origin}/${id}`); `remove` takes it off again. */
  add<T extends S>(create: (id: string, remove: () => void) => T): T {
    const id = randomUUID().slice(0, 8);
    const scope = create(id, () => this.scopes.delete(id));
    this.scopes.set(id, scope);
    return scope;
  }

  /** The scope added last that is still there: the running test's, as a worker runs one test at a time. */
  latest(): S | undefined {
    return [...this.scopes.values()].at(-1);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', this.origin);
    } catch {
      // `//[` and the like are valid request targets for Node's parser, not for URL: a throw here would end the process.
      request.resume();
      response.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('The request target is not a valid URL path.\n');
      return;
    }
    const [, id, ...rest] = url.pathname.split('/');
    let path = rest;
    let scope = id ? this.scopes.get(id) : undefined;
    // A path of no scope (`/reports/main`: a webServer backend's endpoint, known before any test) is the running test's.
    if (scope === undefined && id && this.unscoped?.includes(id)) {
      scope = this.latest();
      path = [id, ...path];
    }
    response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
    response.setHeader('Vary', 'Origin');
    if (scope === undefined) {
      request.resume();
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end(this.missing);
      return;
    }
    this.route(scope, request, response, { url, path });
  }

  /**
   * Closes every connection and stops listening, runs `whileDown` while nothing listens, then
   * listens again on the same port with the same certificate. Its errors start with `call` and
   * name the server as `name` (`collector`).
   */
  async restart(call: string, name: string, whileDown?: () => Promise<unknown>): Promise<void> {
    if (this.restarting) {
      throw new BackgroundServicesError(`${call}: the ${name} is already restarting. Await the first restart() before calling it again.`);
    }
    this.restarting = true;
    const { server } = this.local;
    const port = Number(new URL(this.origin).port);
    try {
      await this.close();
      let failed = false;
      let failure: unknown;
      try {
        await whileDown?.();
      } catch (error) {
        failed = true;
        failure = error;
      }
      await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) =>
          reject(
            new BackgroundServicesError(
              `${call}: cannot listen on 127.0.0.1:${port} again (${error.code ?? error.message}): another process took the port while the ${name} was down. ` +
                `Restart it sooner, or use a new ${name}.`,
            ),
          );
        server.once('error', onError);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', onError);
          resolve();
        });
      });
      if (failed) throw failure;
    } finally {
      this.restarting = false;
    }
  }

  async close(): Promise<void> {
    const { server } = this.local;
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Answers a CORS pre-flight (`OPTIONS`): POST from any origin, with the headers it asks for. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  response
    .writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? 'content-type',
      'Access-Control-Max-Age': '0',
    })
    .end();
}

/** What the push service's and the collector's servers share: their host's address, key and close. */
export abstract class LocalHttpsServerFront<S> {
  protected constructor(protected readonly host: LocalHttpsHost<S>) {}

  /** `https://127.0.0.1:<port>` */
  get origin(): string {
    return this.host.origin;
  }

  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  get spkiPin(): string {
    return this.host.spkiPin;
  }

  /** The self-signed certificate (PEM), for Node clients (`new https.Agent({ ca })`). */
  get certificate(): string {
    return this.host.certificate;
  }

  /** @internal The handshakes its clients broke off lately. */
  get handshakeFailures(): readonly HandshakeFailure[] {
    return this.host.handshakeFailures;
  }

  async close(): Promise<void> {
    await this.host.close();
  }
}

/** A request's body, up to `limit` bytes kept (`size` counts them all), over HTTP/1.1 or HTTP/2. */
export function readBody(request: Readable, limit: number): Promise<{ body: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => resolve({ body: Buffer.concat(chunks), size }));
  });
}
