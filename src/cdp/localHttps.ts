import { createHash, createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

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

/** Listens on a free port of 127.0.0.1 with a fresh self-signed EC certificate (127.0.0.1 and localhost). */
export async function listenLocalHttps(): Promise<LocalHttpsServer> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  } as Parameters<typeof generate>[1]);
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
