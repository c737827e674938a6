import type { IncomingMessage, ServerResponse } from 'node:http';
import { BackgroundServicesError } from '../cdp/errors.js';
import { assertTimeout, DEFAULT_TIMEOUT, waitFor } from '../cdp/wait.js';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { answerPreflight, LocalHttpsHost, LocalHttpsServerFront } from '../cdp/localHttps.js';
import { registerInRun, runSetup } from '../cdp/run.js';
import { assertReportFilter, formatReportFilter, type ReportFilter, matchesReportFilter, type ReportLike } from './filter.js';

const COLLECTOR_BRAND = Symbol.for('playwright-background-services.report-collector');

/** A report as the collector received it. */
export interface ReceivedReport extends ReportLike {
  type: string;
  url: string;
  age: number;
  body: Record<string, unknown>;
  user_agent: string;
  /** The endpoint name it was posted to. */
  destination: string;
  /** Epoch ms. */
  receivedAt: number;
}

export type CollectorBehavior = { kind: 'accept' } | { kind: 'status'; status: number } | { kind: 'delay'; ms: number } | { kind: 'drop' };

export interface RejectedUpload {
  path: string;
  status: number;
  reason: string;
}

export interface PageHeaders {
  csp?: string;
  documentPolicy?: string;
  permissionsPolicy?: string;
  /** Network Error Logging to the endpoint `nel`. */
  nel?: boolean;
  headers?: Record<string, string>;
  /** Default: a page with one inline script. */
  html?: string;
}

const DEFAULT_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Report test page</title></head>
<body><h1>Report test page</h1><script>document.body.dataset.inlineScript = 'ran';</script></body></html>`;

const DEFAULT_MAX_BODY = 1024 * 1024;

/** The HTTPS server behind the collectors of one worker: one certificate, one port (a `LocalHttpsHost`). */
export class ReportCollectorServer extends LocalHttpsServerFront<ReportCollector> {
  #unregister: (() => void) | undefined;

  private constructor(
    host: LocalHttpsHost<ReportCollector>,
    readonly maxBodyBytes: number,
  ) {
    super(host);
  }

  static async start(options: { maxBodyBytes?: number } = {}): Promise<ReportCollectorServer> {
    const max = options.maxBodyBytes;
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
      throw new BackgroundServicesError(`startReportCollector(): maxBodyBytes must be a whole number of bytes > 0, got ${String(max)}.`);
    }
    const maxBodyBytes = max ?? DEFAULT_MAX_BODY;
    const host = await LocalHttpsHost.start<ReportCollector>({
      missing: 'No such report collector (it belongs to a test that has ended).\n',
      route: (collector, request, response, { path: [kind, name, ...rest] }) => {
        if (kind === 'page' && request.method === 'GET' && name) {
          collector.servePage(name, response);
          return;
        }
        // Only the URLs endpoint() hands out: `/reports/main/extra` or `/reports/%ff` is no endpoint of this collector.
        if (kind !== 'reports' || !name || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(name)) {
          response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
          return;
        }
        if (request.method === 'OPTIONS') answerPreflight(request, response);
        else collector.receive(name, request, response, maxBodyBytes);
      },
    });
    // Under backgroundServicesWebServer(), the browser's `localhost:<run's port>` is this server (a host-resolver rule).
    const run = runSetup();
    const server = new ReportCollectorServer(host, maxBodyBytes);
    if (run) {
      host.unscoped = ['reports'];
      // For browsers without that rule (a remote server's): the run's front forwards to every worker's.
      const port = Number(new URL(host.origin).port);
      server.#unregister = registerInRun(run, 'collectors', `${process.pid}-${port}`, port);
    }
    return server;
  }

  override async close(): Promise<void> {
    this.#unregister?.();
    await super.close();
  }

  /** @internal A collector with its own endpoints, reports and behavior (one per test). */
  createCollector(): ReportCollector {
    return this.host.add((id, remove) => new ReportCollector(this, id, remove));
  }

  /**
   * Restarts the endpoint as a deployed one restarts: closes every connection and stops
   * listening, runs `whileDown` (if given) while nothing listens, then listens again on the same
   * port with the same certificate, so the browser's `Reporting-Endpoints` and SPKI pin still
   * hold. What the collectors received is kept.
   * @example
   * await server.restart({ whileDown: () => page.goto(collector.pageWithHeaders({ csp: "script-src 'none'; report-to main" })) });
   */
  async restart(options: { whileDown?: () => Promise<unknown> } = {}): Promise<void> {
    if (options.whileDown !== undefined && typeof options.whileDown !== 'function') {
      throw new BackgroundServicesError(
        `reportCollector.restart(): whileDown must be a function (what to do while the endpoint is down), got ${typeof options.whileDown}.`,
      );
    }
    await this.host.restart('reportCollector.restart()', 'collector', options.whileDown);
  }
}

/** A real HTTPS Reporting API endpoint. See docs/reporting.md. */
export class ReportCollector {
  /** @internal */
  readonly [COLLECTOR_BRAND] = true;
  readonly #received: ReceivedReport[] = [];
  readonly #refused: RejectedUpload[] = [];
  readonly #pages = new Map<string, PageHeaders>();
  readonly #changed = new Emitter();
  #behavior: CollectorBehavior = { kind: 'accept' };
  #pageCount = 0;
  #closed = false;
  readonly #server: ReportCollectorServer;
  readonly #id: string;
  readonly #onClose: () => void;

  /** @internal */
  constructor(server: ReportCollectorServer, id: string, onClose: () => void) {
    this.#server = server;
    this.#id = id;
    this.#onClose = onClose;
  }

  get url(): string {
    return `${this.#server.origin}/${this.#id}`;
  }

  /** For `--ignore-certificate-errors-spki-list`. */
  get spkiPin(): string {
    return this.#server.spkiPin;
  }

  /** PEM, to reach the collector from Node. */
  get certificate(): string {
    return this.#server.certificate;
  }

  /** The URL of the endpoint `name`. */
  endpoint(name = 'main'): string {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new BackgroundServicesError(`reportCollector.endpoint(): endpoint names are letters, digits, '-' and '_', got ${JSON.stringify(name)}.`);
    }
    return `${this.url}/reports/${name}`;
  }

  /**
   * The `Reporting-Endpoints` value for these names (default: `main`, `default`).
   * @example
   * res.setHeader('Reporting-Endpoints', reportCollector.reportingEndpointsHeader());
   */
  reportingEndpointsHeader(names: readonly string[] = ['main', 'default']): string {
    return names.map((name) => `${name}="${this.endpoint(name)}"`).join(', ');
  }

  /**
   * The URL of a page the collector serves with these headers.
   * @example
   * await page.goto(reportCollector.pageWithHeaders({ csp }));
   */
  pageWithHeaders(headers: PageHeaders = {}): string {
    const id = String(++this.#pageCount);
    this.#pages.set(id, headers);
    return `${this.url}/page/${id}`;
  }

  /** @internal */
  servePage(id: string, response: ServerResponse): void {
    const spec = this.#pages.get(id);
    if (!spec) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('No such page\n');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Reporting-Endpoints': this.reportingEndpointsHeader(['main', 'default']),
    };
    if (spec.csp) headers['Content-Security-Policy'] = spec.csp;
    if (spec.documentPolicy) headers['Document-Policy'] = spec.documentPolicy;
    if (spec.permissionsPolicy) headers['Permissions-Policy'] = spec.permissionsPolicy;
    if (spec.nel) {
      headers['Report-To'] = JSON.stringify({ group: 'nel', max_age: 3600, endpoints: [{ url: this.endpoint('nel') }] });
      headers.NEL = JSON.stringify({ report_to: 'nel', max_age: 3600, success_fraction: 1.0, failure_fraction: 1.0 });
    }
    Object.assign(headers, spec.headers);
    response.writeHead(200, headers).end(spec.html ?? DEFAULT_HTML);
  }

  /**
   * How to answer uploads from now on.
   * @example
   * reportCollector.respondWith({ kind: 'status', status: 500 });
   */
  respondWith(behavior: CollectorBehavior): void {
    const valid =
      behavior?.kind === 'accept' ||
      behavior?.kind === 'drop' ||
      (behavior?.kind === 'status' && Number.isInteger(behavior.status) && behavior.status >= 100 && behavior.status <= 599) ||
      (behavior?.kind === 'delay' && Number.isFinite(behavior.ms) && behavior.ms >= 0);
    if (!valid) {
      throw new BackgroundServicesError(
        `reportCollector.respondWith(): expected { kind: 'accept' }, { kind: 'status', status: 100-599 }, { kind: 'delay', ms: >= 0 } or { kind: 'drop' }, got ${JSON.stringify(behavior)}.`,
      );
    }
    this.#behavior = behavior;
  }

  /** @internal */
  receive(endpoint: string, request: IncomingMessage, response: ServerResponse, maxBodyBytes: number): void {
    const reject = (status: number, reason: string) => {
      this.#refused.push({ path: request.url ?? '', status, reason });
      if (!response.headersSent) response.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`${reason}\n`);
      this.#notify();
    };
    if (request.method !== 'POST') return reject(405, `Reports are POSTed; got ${request.method}.`);
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/reports+json' && type !== 'application/json') {
      request.resume();
      return reject(415, `Expected Content-Type application/reports+json, got ${JSON.stringify(type)}.`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        if (!tooLarge) reject(413, `The upload is larger than ${maxBodyBytes} bytes.`);
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', () => {});
    request.on('end', () => {
      if (tooLarge) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reject(400, 'The upload is not valid JSON.');
      }
      if (
        !Array.isArray(parsed) ||
        !parsed.every((item) => typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string')
      ) {
        return reject(400, 'Expected a JSON array of reports, each with a "type".');
      }
      this.#answer(response, () => {
        const receivedAt = Date.now();
        for (const item of parsed as Array<Record<string, unknown>>) {
          this.#received.push({
            type: String(item.type),
            url: typeof item.url === 'string' ? item.url : '',
            age: Number(item.age ?? 0),
            body: (typeof item.body === 'object' && item.body !== null ? item.body : {}) as Record<string, unknown>,
            user_agent: typeof item.user_agent === 'string' ? item.user_agent : '',
            destination: endpoint,
            receivedAt,
          });
        }
        this.#notify();
      });
    });
  }

  #answer(response: ServerResponse, accept: () => void): void {
    const behavior = this.#behavior;
    switch (behavior.kind) {
      case 'accept':
        accept();
        response.writeHead(204).end();
        return;
      case 'status':
        if (behavior.status < 300) accept();
        response.writeHead(behavior.status, { 'Content-Type': 'text/plain' }).end(`Answered ${behavior.status} on purpose.\n`);
        return;
      case 'delay':
        setTimeout(() => {
          accept();
          if (!response.destroyed) response.writeHead(204).end();
        }, behavior.ms).unref();
        return;
      case 'drop':
        response.socket?.destroy();
        return;
    }
  }

  #notify(): void {
    this.#changed.emit();
  }

  get reports(): readonly ReceivedReport[] {
    return [...this.#received];
  }

  get rejected(): readonly RejectedUpload[] {
    return [...this.#refused];
  }

  /**
   * Resolves with the first received report that matches.
   * @example
   * await reportCollector.waitForReport({ type: 'csp-violation' });
   */
  waitForReport(filter: ReportFilter = {}, options: { timeout?: number } = {}): Promise<ReceivedReport> {
    assertReportFilter(filter, 'reportCollector.waitForReport()', false);
    const timeout = assertTimeout(options.timeout, 'reportCollector.waitForReport()') ?? DEFAULT_TIMEOUT;
    return waitFor({
      check: () => this.#received.find((report) => matchesReportFilter(report, filter)),
      subscribe: (onChange) => this.subscribe(onChange),
      timeout,
      timeoutMessage: () =>
        `reportCollector.waitForReport(${formatReportFilter(filter)}): no matching report within ${timeout}ms.\n${formatReceived(this.#received)}`,
    });
  }

  /** @internal */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  /**
   * Takes the endpoint down while `whileDown` runs, then back up.
   * @example
   * await reportCollector.restart();
   */
  restart(options: { whileDown?: () => Promise<unknown> } = {}): Promise<void> {
    return this.#server.restart(options);
  }

  /** Forgets what was received. */
  clear(): void {
    this.#received.length = 0;
    this.#refused.length = 0;
    this.#notify();
  }

  /** @internal Ends this collector: later uploads get a 404. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
  }

  /** @internal What else `stop()` ends: the server `startReportCollector()` started for this collector. */
  stopServer: (() => Promise<void>) | undefined;

  /**
   * Ends the collector (and the server `startReportCollector()` started).
   * @example
   * await collector.stop();
   */
  async stop(): Promise<void> {
    this.close();
    await this.stopServer?.();
    this.stopServer = undefined;
  }
}

/** The "what the collector received" block of messages. */
export function formatReceived(reports: readonly ReceivedReport[]): string {
  if (reports.length === 0) return 'Received reports: none';
  return [
    `Received reports (${reports.length}):`,
    ...reports.map((r, i) => `  ${i + 1}.  ${r.type}  ${r.url}  → ${r.destination}  ${JSON.stringify(r.body).slice(0, 160)}`),
  ].join('\n');
}

/**
 * Starts a collector on a server of its own.
 * @example
 * const collector = await startReportCollector();
 */
export async function startReportCollector(options?: { maxBodyBytes?: number }): Promise<ReportCollector> {
  const server = await ReportCollectorServer.start(options);
  const collector = server.createCollector();
  collector.stopServer = () => server.close();
  return collector;
}

export function isReportCollector(value: unknown): value is ReportCollector {
  return hasBrand(value, COLLECTOR_BRAND);
}
