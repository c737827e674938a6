import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The pages the capability probe runs in: a service worker that answers every background
 * service, a payment app installed just in time, a page that causes a CSP report, and two
 * cross-site pages for the back/forward cache. Plain HTTP on 127.0.0.1, a secure context.
 */
const SERVICE_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}
self.addEventListener('push', (event) => event.waitUntil(tell({ kind: 'push', data: event.data && event.data.text() })));
self.addEventListener('backgroundfetchsuccess', (event) => event.waitUntil(tell({ kind: 'backgroundfetch', id: event.registration.id })));
self.addEventListener('backgroundfetchfail', (event) => event.waitUntil(tell({ kind: 'backgroundfetchfail', id: event.registration.id })));
self.addEventListener('message', (event) => event.source && event.source.postMessage({ kind: 'onLine', onLine: self.navigator.onLine }));
`;

const PAYMENT_APP_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('paymentrequest', (event) => event.respondWith({ methodName: event.methodData[0].supportedMethods, details: {} }));
`;

const PROBE_PAGE = `<!doctype html><meta charset="utf-8"><title>playwright-background-services probe</title>
<button id="pay">pay</button>
<script>
const messages = [];
const waiters = new Set();
navigator.serviceWorker.addEventListener('message', (event) => {
  messages.push(event.data);
  for (const waiter of [...waiters]) waiter();
});
window.probeMessage = (kind, timeout) => new Promise((resolve) => {
  const check = () => {
    const found = messages.find((message) => message.kind === kind);
    if (!found) return false;
    waiters.delete(check);
    clearTimeout(timer);
    resolve(found);
    return true;
  };
  const timer = setTimeout(() => { waiters.delete(check); resolve(undefined); }, timeout);
  if (!check()) waiters.add(check);
});
const describe = (error) => (error && error.name ? error.name + ': ' + error.message : String(error));
window.probeRegistration = navigator.serviceWorker.register('/sw/worker.js', { scope: '/sw/' }).then(async (registration) => {
  const worker = registration.installing || registration.waiting || registration.active;
  if (worker.state !== 'activated') await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
  return registration;
});
window.probeAttempt = async (what) => {
  try {
    const registration = await window.probeRegistration;
    return { ok: true, value: await what(registration) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
};
window.payment = new Promise((resolve) => {
  document.getElementById('pay').addEventListener('click', async () => {
    try {
      const request = new PaymentRequest([{ supportedMethods: location.origin + '/pay' }], { total: { label: 'Probe', amount: { currency: 'USD', value: '0.01' } } });
      const response = await request.show();
      await response.complete('success');
      resolve({ ok: true, value: response.methodName });
    } catch (error) {
      resolve({ ok: false, error: describe(error) });
    }
  });
});
</script>`;

// A 1x1 PNG: the payment app's manifest must name an icon that loads.
const ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export class ProbeServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** The probe's own origin; `http://localhost:<port>` is the same server on another site. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get crossSiteOrigin(): string {
    return `http://localhost:${this.port}`;
  }

  static async start(): Promise<ProbeServer> {
    let port = 0;
    const server = createServer((request, response) => serve(request, response, `http://127.0.0.1:${port}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    port = (server.address() as AddressInfo).port;
    // The probe never keeps a test run alive.
    server.unref();
    return new ProbeServer(server, port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function serve(request: IncomingMessage, response: ServerResponse, origin: string): void {
  const path = new URL(request.url ?? '/', origin).pathname;
  const send = (type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers }).end(request.method === 'HEAD' ? undefined : body);
  };
  switch (path) {
    case '/sw/':
      return send('text/html; charset=utf-8', PROBE_PAGE);
    case '/sw/worker.js':
      return send('text/javascript', SERVICE_WORKER);
    case '/sw/fetched.txt':
      return send('text/plain', 'fetched\n');
    case '/pay':
      return send('text/plain', 'probe payment method\n', { Link: '</pay/method-manifest.json>; rel="payment-method-manifest"' });
    case '/pay/method-manifest.json':
      return send('application/json', JSON.stringify({ default_applications: [`${origin}/pay/app.webmanifest`], supported_origins: [origin] }));
    case '/pay/app.webmanifest':
      return send(
        'application/manifest+json',
        JSON.stringify({
          name: 'Probe Pay',
          icons: [{ src: '/icon.png', sizes: '1x1', type: 'image/png' }],
          serviceworker: { src: '/pay/sw.js', scope: '/pay/', use_cache: false },
        }),
      );
    case '/pay/sw.js':
      return send('text/javascript', PAYMENT_APP_WORKER);
    case '/icon.png':
      return send('image/png', ICON);
    case '/report':
      // A CSP violation with a Reporting-Endpoints header: the Reporting API logs a report.
      return send('text/html; charset=utf-8', '<!doctype html><title>report</title><script>1</script>', {
        'Reporting-Endpoints': `probe="${origin}/reports"`,
        'Content-Security-Policy': "script-src 'none'; report-to probe",
      });
    case '/reports':
      return void response.writeHead(204).end();
    case '/bfcache':
    case '/away':
      return send('text/html; charset=utf-8', `<!doctype html><title>${path}</title><p>${path}</p>`);
    default:
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
  }
}

/** What the probe's pages are, for the probe cache's key: another page is another probe. */
export const PROBE_SERVER_SOURCE = [SERVICE_WORKER, PAYMENT_APP_WORKER, PROBE_PAGE, serve.toString()].join('\n');
