import type { Protocol } from 'devtools-protocol';
import type { PageSession } from '../cdp/session.js';
import { formatTime, truncate } from '../background-services/events.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError } from '../cdp/errors.js';
import { assertReportFilter, formatReportFilter, matchesReportFilter, type ReportFilter, type ReportStatus } from './filter.js';

const REPORT_BRAND = Symbol.for('playwright-background-services.report');
const WATCHER_BRAND = Symbol.for('playwright-background-services.reporting-watcher');

export interface StatusChange {
  status: ReportStatus;
  /** Epoch ms. */
  at: number;
}

/** An endpoint, as DevTools' "Endpoints" table lists it. */
export interface ReportingEndpoint {
  origin: string;
  groupName: string;
  url: string;
}

/** A report; its `status` and `history` stay live. */
export class WatchedReport {
  /** @internal */
  readonly [REPORT_BRAND] = true;
  readonly history: StatusChange[] = [];
  #raw: Protocol.Network.ReportingApiReport;

  /** @internal */
  constructor(
    raw: Protocol.Network.ReportingApiReport,
    /** @internal */ readonly watcher: ReportingWatcher,
  ) {
    this.#raw = raw;
    this.history.push({ status: raw.status, at: Date.now() });
  }

  /** @internal */
  update(raw: Protocol.Network.ReportingApiReport): void {
    this.#raw = raw;
    if (this.history.at(-1)?.status !== raw.status) this.history.push({ status: raw.status, at: Date.now() });
  }

  get id(): string {
    return this.#raw.id;
  }
  /** The document's URL. */
  get url(): string {
    return this.#raw.initiatorUrl;
  }
  get type(): string {
    return this.#raw.type;
  }
  get status(): ReportStatus {
    return this.#raw.status;
  }
  get destination(): string {
    return this.#raw.destination;
  }
  get generatedAt(): Date {
    return new Date(this.#raw.timestamp * 1000);
  }
  get body(): Record<string, unknown> {
    return this.#raw.body as Record<string, unknown>;
  }
  get completedAttempts(): number {
    return this.#raw.completedAttempts;
  }
  /** Whether it ever had this status. */
  reached(status: ReportStatus): boolean {
    return this.history.some((change) => change.status === status);
  }

  toJSON() {
    return {
      id: this.id,
      url: this.url,
      type: this.type,
      status: this.status,
      destination: this.destination,
      generatedAt: this.generatedAt.toISOString(),
      body: this.body,
      completedAttempts: this.completedAttempts,
      history: this.history.map(({ status, at }) => ({ status, at: new Date(at).toISOString() })),
    };
  }
}

export function isReportingWatcher(value: unknown): value is ReportingWatcher {
  return hasBrand(value, WATCHER_BRAND);
}

export function isWatchedReport(value: unknown): value is WatchedReport {
  return hasBrand(value, REPORT_BRAND);
}

/** A status history, with long retry loops shortened: `Queued → Pending → … (40 more) … → Queued`. */
export function formatHistory(history: readonly StatusChange[]): string {
  const statuses = history.map((change) => change.status);
  if (statuses.length <= 8) return statuses.join(' → ');
  return [...statuses.slice(0, 3), `… (${statuses.length - 5} more) …`, ...statuses.slice(-2)].join(' → ');
}

export function formatReport(report: WatchedReport, index: number): string {
  const history = formatHistory(report.history);
  return (
    `  ${index + 1}.  ${formatTime(report.generatedAt.getTime() / 1000)}  ${report.type}  ${report.url}  → ${report.destination}  ` +
    `${history} (${report.completedAttempts} attempt(s))  ${truncate(JSON.stringify(report.body), 160)}`
  );
}

/** The page's reports and endpoints, as DevTools' Reporting API pane shows them. */
export class ReportingWatcher {
  /** @internal */
  readonly [WATCHER_BRAND] = true;
  readonly #byId = new Map<string, WatchedReport>();
  readonly #endpointsByOrigin = new Map<string, ReportingEndpoint[]>();
  readonly #changed = new Emitter();
  readonly #documentHeaders = new Map<string, Record<string, string>>();
  #enabled: Promise<void> | undefined;
  /** @internal Why delivery may be slow or refused on this set-up (the fixtures set it), for timeouts. */
  deliveryNote: string | undefined;
  /**
   * @internal The browser lacks the collector's certificate pin (the fixtures' launch flags did not
   * reach it): an upload that failed once fails on every retry, so `awaitReport` stops there.
   */
  uploadsFailForGood = false;
  readonly #session: PageSession;

  /** @internal Use the `reportingApi` fixture or `backgroundServices.reportingApi()`. */
  constructor(session: PageSession) {
    this.#session = session;
  }

  /** @internal Starts watching; reports the browser already has are replayed. */
  enable(): Promise<void> {
    if (!this.#enabled) {
      this.#session.cdp.on('Network.reportingApiReportAdded', ({ report }) => this.#upsert(report));
      this.#session.cdp.on('Network.reportingApiReportUpdated', ({ report }) => this.#upsert(report));
      this.#session.cdp.on('Network.reportingApiEndpointsChangedForOrigin', ({ origin, endpoints }) => {
        this.#endpointsByOrigin.set(
          origin,
          endpoints.map((e) => ({ origin, groupName: e.groupName, url: e.url })),
        );
        this.#notify();
      });
      // Chromium drops endpoints it will not use (http://) without a word: keep each document's
      // headers so a timeout can say what the page asked for.
      this.#session.cdp.on('Network.responseReceived', ({ type, response }) => {
        if (type !== 'Document') return;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
        this.#documentHeaders.set(response.url, headers);
      });
      this.#enabled = Promise.all([this.#session.cdp.send('Network.enable', {}), this.#session.cdp.send('Network.enableReportingApi', { enable: true })]).then(
        () => undefined,
      );
    }
    return this.#enabled;
  }

  #upsert(raw: Protocol.Network.ReportingApiReport): void {
    const existing = this.#byId.get(raw.id);
    if (existing) existing.update(raw);
    else this.#byId.set(raw.id, new WatchedReport(raw, this));
    this.#notify();
  }

  #notify(): void {
    this.#changed.emit();
  }

  /** @internal */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  /** @internal */
  onAbort(listener: (error: Error) => void): () => void {
    return this.#session.onAbort(listener);
  }

  get reports(): WatchedReport[] {
    return [...this.#byId.values()];
  }

  get endpoints(): ReportingEndpoint[] {
    return [...this.#endpointsByOrigin.values()].flat();
  }

  /** The reports that match; `status` is the current one. */
  filter(filter: ReportFilter): WatchedReport[] {
    assertReportFilter(filter, 'reportingApi.filter()');
    return this.reports.filter((r) => matchesReportFilter(r, filter) && (filter.status === undefined || r.status === filter.status));
  }

  /**
   * Resolves with the first report that matches and reached `filter.status`.
   * @example
   * await reportingApi.awaitReport({ status: 'Success' });
   */
  async awaitReport(filter: ReportFilter = {}, options: { timeout?: number } = {}): Promise<WatchedReport> {
    assertReportFilter(filter, 'awaitReport()');
    const timeout = assertTimeout(options.timeout, 'awaitReport()') ?? this.#session.timeout();
    await this.enable();
    const pick = () => {
      const found = this.reports.find((r) => matchesReportFilter(r, filter) && (filter.status === undefined || r.reached(filter.status)));
      if (found || filter.status !== 'Success' || !this.uploadsFailForGood) return found;
      // A page the endpoint's own server served uploads over the page's connection: its retries can succeed.
      const crossOrigin = (r: WatchedReport) => {
        const origin = new URL(r.url).origin;
        const endpoint = this.endpoints.find((e) => e.origin === origin && e.groupName === r.destination);
        return endpoint !== undefined && new URL(endpoint.url).origin !== origin;
      };
      const failed = this.reports.find((r) => matchesReportFilter(r, filter) && r.completedAttempts > 0 && r.status !== 'Success' && crossOrigin(r));
      if (failed) {
        throw new BackgroundServicesError(
          `awaitReport(${formatReportFilter(filter)}): the upload of the report of ${failed.url} to "${failed.destination}" failed (${failed.completedAttempts} attempt(s), now ${failed.status}), ` +
            `and on this set-up every retry fails the same way.\n${this.describe()}${this.deliveryNote ? `\nNote: ${this.deliveryNote}` : ''}`,
        );
      }
      return undefined;
    };
    try {
      return await waitFor({
        check: pick,
        subscribe: (onChange) => this.subscribe(onChange),
        onAbort: (listener) => this.#session.onAbort(listener),
        timeout,
        timeoutMessage: () =>
          `awaitReport(${formatReportFilter(filter)}): no matching report${filter.status ? ` reached ${filter.status}` : ''} within ${timeout}ms.`,
      });
    } catch (error) {
      if (error instanceof BackgroundServicesTimeoutError) {
        error.message += `\n${await this.diagnose(filter)}`;
      }
      throw error;
    }
  }

  /** What was seen, and why delivery may be stuck. */
  async diagnose(filter: ReportFilter = {}): Promise<string> {
    const lines = [this.describe()];
    const notes = new Set<string>();
    for (const endpoint of this.endpoints.filter((e) => e.url.startsWith('http:'))) {
      notes.add(`Note: endpoint "${endpoint.groupName}" of ${endpoint.origin} is not HTTPS (${endpoint.url}): Chromium never delivers reports to it.`);
    }
    for (const report of this.reports.filter((r) => matchesReportFilter(r, filter) && r.status !== 'Success')) {
      const origin = new URL(report.url).origin;
      if (this.endpoints.some((e) => e.origin === origin)) continue;
      if (report.url.startsWith('http:')) {
        notes.add(
          `Note: ${report.url} is not HTTPS: Chromium ignores its Reporting-Endpoints header, so its reports have no endpoint to go to. Serve the page over HTTPS (reportCollector.pageWithHeaders() does).`,
        );
        continue;
      }
      const header = this.#documentHeaders.get(report.url)?.['reporting-endpoints'];
      if (header === undefined) {
        notes.add(`Note: ${report.url} has no endpoints: its response had no Reporting-Endpoints header naming "${report.destination}".`);
        continue;
      }
      for (const [, name, url] of header.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) {
        if (!url!.startsWith('https:')) {
          notes.add(`Note: endpoint "${name}" of ${origin} is not HTTPS (${url}): Chromium never delivers reports to it.`);
        }
      }
    }
    if (this.reports.length === 0 && this.endpoints.length > 0) {
      notes.add(
        'Note: no reports at all. Chromium forgets a report once delivered, so one sent before this watcher started cannot be shown: ' +
          'start it before the page loads (the reportingApi and awaitReport fixtures do; with createBackgroundServices, call services.reportingApi() first).',
      );
    }
    lines.push(...notes);
    const stuck = this.reports.some((r) => matchesReportFilter(r, filter) && r.status !== 'Success');
    if (stuck && this.deliveryNote) lines.push(`Note: ${this.deliveryNote}`);
    if (stuck && !this.#session.page.isClosed()) {
      const state = await this.#session.page
        .evaluate(async () => (await navigator.permissions.query({ name: 'background-sync' as PermissionName })).state)
        .catch(() => undefined);
      if (state && state !== 'granted') {
        lines.push(
          `Note: the background-sync permission is "${state}" for ${new URL(this.#session.pageUrl()).origin}: Chromium holds report delivery without it. ` +
            `Grant it (grantBackgroundServicePermissions: true does, with the others).`,
        );
      }
    }
    return lines.join('\n');
  }

  /** @internal */
  describe(): string {
    const reports = this.reports;
    const endpoints = this.endpoints;
    return [
      reports.length ? `Reports (${reports.length}):\n${reports.map(formatReport).join('\n')}` : 'Reports: none',
      endpoints.length ? `Endpoints:\n${endpoints.map((e) => `  ${e.origin}  ${e.groupName}  ${e.url}`).join('\n')}` : 'Endpoints: none',
    ].join('\n');
  }
}
