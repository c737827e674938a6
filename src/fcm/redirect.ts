/** Google's hosts that the stand-in answers for a backend; every other host is left alone. */
export const FCM_HOSTS = [
  'fcm.googleapis.com',
  'iid.googleapis.com',
  'oauth2.googleapis.com',
  'firebaseinstallations.googleapis.com',
  'fcmregistrations.googleapis.com',
  'play.google.com',
] as const;

/**
 * Sends Node's TLS connections to `hosts` to the stand-in at 127.0.0.1:`port`, keeping the host
 * name for SNI and the certificate check, and trusting `ca` for them alone. Every HTTPS client in
 * Node (https, http2, undici's fetch, gaxios) opens its socket through `tls.connect`, so one patch
 * covers HTTP/1.1 and HTTP/2 alike. Serialized into a `--require` file for child processes: it
 * uses nothing from its module.
 */
function redirectTls(tls: typeof import('node:tls'), http2: typeof import('node:http2'), hosts: readonly string[], port: number, ca: string): void {
  const state = globalThis as typeof globalThis & { __pwbsFcmRedirect?: { port: number; ca: string; hosts: readonly string[] } };
  const installed = state.__pwbsFcmRedirect;
  state.__pwbsFcmRedirect = { port, ca, hosts };
  if (installed) return;
  const connect = tls.connect;
  const patched = function (this: unknown, ...args: unknown[]) {
    const current = state.__pwbsFcmRedirect!;
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
    let options: Record<string, unknown>;
    if (typeof args[0] === 'object' && args[0] !== null) options = { ...args[0] };
    else if (typeof args[1] === 'string') options = { ...(args[2] as object), port: args[0], host: args[1] };
    else options = { ...(args[1] as object), port: args[0] };
    const name = options.servername ?? options.host;
    const host = (typeof name === 'string' ? name : 'localhost').replace(/\.$/, '');
    if (current.hosts.includes(host)) {
      /* A proxy's tunnel (HTTPS_PROXY, which fcm.env sets for other languages) is replaced: close it. */
      (options.socket as { destroy?: () => void } | undefined)?.destroy?.();
      options = { ...options, host: '127.0.0.1', port: current.port, servername: host, ca: current.ca, path: undefined, socket: undefined };
    }
    return (connect as (...a: unknown[]) => unknown).call(this, options, ...(callback ? [callback] : []));
  };
  tls.connect = patched as typeof tls.connect;
  /* http2's own TLS set-up stalls on a socket redirected that way: hand it the socket instead. */
  const connectHttp2 = http2.connect;
  http2.connect = function (this: unknown, authority: string | URL, ...rest: unknown[]) {
    const url = new URL(String(authority));
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as Record<string, unknown>) : {};
    if (url.protocol === 'https:' && !options.createConnection && state.__pwbsFcmRedirect!.hosts.includes(url.hostname)) {
      options.createConnection = () => patched({ host: url.hostname, port: Number(url.port || 443), servername: url.hostname, ALPNProtocols: ['h2'] });
    }
    const session = (connectHttp2 as (...a: unknown[]) => unknown).call(this, authority, options, ...rest) as import('node:http2').ClientHttp2Session;
    if (!options.createConnection || !state.__pwbsFcmRedirect!.hosts.includes(url.hostname)) return session;
    /* firebase-admin sends ':scheme: https:'. Google's front ends take it; Node's HTTP/2 server resets the stream. */
    const request = session.request.bind(session);
    session.request = (headers?: import('node:http2').OutgoingHttpHeaders, ...more: unknown[]) =>
      (request as (...a: unknown[]) => import('node:http2').ClientHttp2Stream)(
        headers && typeof headers[':scheme'] === 'string' ? { ...headers, ':scheme': headers[':scheme'].replace(/:$/, '') } : headers,
        ...more,
      );
    return session;
  };
}

/** Redirects this process's connections to FCM's hosts to the stand-in (idempotent; the last call's port wins). */
export function redirectFcmHosts(port: number, ca: string): void {
  // The CommonJS module object, which Node's own http2 and https read `connect` from at each call.
  redirectTls(process.getBuiltinModule('node:tls'), process.getBuiltinModule('node:http2'), FCM_HOSTS, port, ca);
}

/** The same redirect as a CommonJS file for `NODE_OPTIONS=--require <file>`. */
export function redirectPreloadScript(port: number, ca: string): string {
  return `(${redirectTls.toString()})(require('node:tls'), require('node:http2'), ${JSON.stringify(FCM_HOSTS)}, ${port}, ${JSON.stringify(ca)});\n`;
}
