import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** Where a CONNECT went: `stand-in` (to 127.0.0.1:`port`), `direct` (the host itself) or `refused`. */
export interface FcmProxyTunnel {
  host: string;
  port: number;
  to: 'stand-in' | 'direct' | 'refused';
  detail?: string;
}

/** `host:port` of a CONNECT request target, `[v6]:port` included; undefined when it is neither. */
function parseTarget(target: string | undefined): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})$/i.exec(target ?? '');
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2]!).toLowerCase().replace(/\.$/, ''), port };
}

function answer(socket: Socket, status: string, body: string, headers = ''): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${headers}\r\n${body}`,
  );
}

/**
 * The HTTPS proxy of `fcm.env` (`HTTPS_PROXY=http://127.0.0.1:<port>`), for backends in any
 * language: a CONNECT to a host that `resolve` maps to a port (Google's FCM hosts, on 443) is
 * tunnelled to that port of 127.0.0.1, where the client does TLS with the stand-in under Google's
 * name; a CONNECT to any other host is tunnelled to that host unchanged. It only tunnels: a
 * plain-HTTP request in absolute form gets a 405, so nothing is forwarded in clear.
 */
export class FcmProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #resolve: (host: string) => number | undefined;
  readonly #onTunnel: (tunnel: FcmProxyTunnel) => void;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, the value of HTTPS_PROXY. */
  readonly url: string;

  private constructor(server: Server, resolve: (host: string) => number | undefined, onTunnel: (tunnel: FcmProxyTunnel) => void) {
    this.#server = server;
    this.#resolve = resolve;
    this.#onTunnel = onTunnel;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    server.on('connection', (socket: Socket) => this.#track(socket));
    server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => this.#connect(request, socket, head));
    server.on('request', (request: IncomingMessage, response: import('node:http').ServerResponse) => {
      request.resume();
      response.writeHead(405, { allow: 'CONNECT', 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      response.end(
        `The FCM stand-in's proxy only tunnels HTTPS (CONNECT host:443); it got ${request.method} ${request.url}. ` +
          'Use it as HTTPS_PROXY, not HTTP_PROXY: plain HTTP is not forwarded.\n',
      );
    });
  }

  /** @internal Listens on a free port of 127.0.0.1; `resolve(host)` is the stand-in's port for the hosts it answers. */
  static async start(resolve: (host: string) => number | undefined, onTunnel: (tunnel: FcmProxyTunnel) => void = () => {}, port = 0): Promise<FcmProxy> {
    const server = createServer();
    await new Promise<void>((done, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => done());
    });
    return new FcmProxy(server, resolve, onTunnel);
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  #connect(request: IncomingMessage, client: Socket, head: Buffer): void {
    client.on('error', () => client.destroy());
    const target = parseTarget(request.url);
    if (!target) {
      return answer(client, '400 Bad Request', `Expected CONNECT host:port, got CONNECT ${JSON.stringify(request.url)}.\n`);
    }
    const { host, port } = target;
    const standIn = this.#resolve(host);
    if (standIn !== undefined && port !== 443) {
      this.#onTunnel({ host, port, to: 'refused', detail: 'the stand-in answers port 443 only' });
      return answer(client, '403 Forbidden', `The FCM stand-in answers ${host} on port 443 only, not ${port}: nothing is sent to Google.\n`);
    }
    const upstream = standIn === undefined ? connect({ host, port }) : connect({ host: '127.0.0.1', port: standIn });
    this.#track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      this.#onTunnel({ host, port, to: 'refused', detail: error.code ?? error.message });
      answer(
        client,
        '502 Bad Gateway',
        `The FCM stand-in's proxy could not reach ${host}:${port}${standIn === undefined ? '' : ` (the stand-in at 127.0.0.1:${standIn})`}: ${error.message}. ` +
          'Check the host name and that the server is listening; hosts in NO_PROXY bypass this proxy.\n',
      );
      upstream.destroy();
    });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      this.#onTunnel({ host, port, to: standIn === undefined ? 'direct' : 'stand-in' });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  }

  /** @internal The runner's proxy never keeps it alive. */
  unref(): void {
    this.#server.unref();
  }

  /** @internal Ends every tunnel and stops listening. */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The hosts `fcm.env`'s clients reach without the proxy: the loopback, and the user's NO_PROXY except what would let FCM's hosts bypass it. */
export function noProxyList(existing: string | undefined, proxied: readonly string[]): string {
  const bypassesStandIn = (entry: string) => {
    const domain = entry
      .replace(/^\*?\./, '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    return entry === '*' || proxied.some((host) => host === domain || host.endsWith(`.${domain}`));
  };
  const user = (existing ?? '').split(/[\s,]+/).filter((entry) => entry && !bypassesStandIn(entry));
  return [...new Set(['localhost', '127.0.0.1', '::1', ...user])].join(',');
}
