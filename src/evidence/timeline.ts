import { SERVICE_TITLES, SERVICES } from '../background-services/services.js';
import { toProtocolEvent, type BackgroundServiceEvent } from '../background-services/events.js';

/** A report as the timeline lists it (`WatchedReport.toJSON()` has this shape). */
export interface TimelineReport {
  url: string;
  type: string;
  status: string;
  destination: string;
  generatedAt: string;
  body: Record<string, unknown>;
  history?: Array<{ status: string; at: string }>;
}

export interface TimelineEndpoint {
  origin: string;
  groupName: string;
  url: string;
}

/** A back/forward cache check, as `testBackForwardCache` returns it. */
export interface TimelineBackForwardCache {
  url: string;
  restored: boolean;
  reasons: Array<{ type: string; reason: string }>;
}

export interface TimelineInput {
  title?: string;
  events: readonly BackgroundServiceEvent[];
  /** Service worker scope per registration id, for the "Service Worker Scope" column. */
  scopes?: Readonly<Record<string, string>>;
  reports?: readonly TimelineReport[];
  endpoints?: readonly TimelineEndpoint[];
  backForwardCache?: readonly TimelineBackForwardCache[];
  /** How many older events were dropped to keep within `maxEvents`. */
  droppedEvents?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
:root { color-scheme: light; --border: #cbcdd1; --head: #f1f3f4; --sel: #cfe8fc; font: 12px/1.4 system-ui, sans-serif; }
body { margin: 0; color: #202124; }
header { padding: 8px 12px; border-bottom: 1px solid var(--border); display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
h1 { font-size: 14px; margin: 0; }
h2 { font-size: 13px; margin: 16px 12px 6px; }
.filters label { margin-right: 10px; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; table-layout: auto; }
th, td { border: 1px solid var(--border); padding: 3px 6px; text-align: left; vertical-align: top; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 360px; }
th { background: var(--head); font-weight: 600; position: sticky; top: 0; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f8f9fa; }
tbody tr.selected { background: var(--sel); }
.details { margin: 8px 12px; border: 1px solid var(--border); min-height: 60px; padding: 8px; }
.details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.details dt { font-weight: 600; }
.details dd { margin: 0; white-space: pre-wrap; word-break: break-all; }
.empty { color: #5f6368; padding: 8px 12px; }
.status-Success { color: #188038; } .status-MarkedForRemoval { color: #c5221f; } .status-Queued, .status-Pending { color: #b06000; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
`;

const SCRIPT = `
const data = JSON.parse(document.getElementById('timeline-data').textContent);
const pad = (n, w = 2) => String(n).padStart(w, '0');
const time = (seconds) => { const d = new Date(seconds * 1000); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3); };
const cell = (row, text) => { const td = row.insertCell(); td.textContent = text; td.title = text; return td; };
function showDetails(pane, pairs) {
  pane.replaceChildren();
  if (!pairs.length) { pane.textContent = 'No metadata'; return; }
  const dl = document.createElement('dl');
  for (const [key, value] of pairs) {
    const dt = document.createElement('dt'); dt.textContent = key;
    const dd = document.createElement('dd'); dd.textContent = value;
    dl.append(dt, dd);
  }
  pane.append(dl);
}
function select(tbody, row) { for (const r of tbody.rows) r.classList.toggle('selected', r === row); }
const eventsBody = document.querySelector('#events tbody');
const eventDetails = document.getElementById('event-details');
const shown = new Set(data.services);
function renderEvents() {
  eventsBody.replaceChildren();
  data.events.filter((e) => shown.has(e.service)).forEach((event, index) => {
    const row = eventsBody.insertRow();
    row.dataset.service = event.service;
    cell(row, String(index + 1));
    cell(row, time(event.timestamp));
    cell(row, event.eventName);
    cell(row, event.origin);
    cell(row, event.storageKey);
    cell(row, data.scopes[event.serviceWorkerRegistrationId] || event.serviceWorkerRegistrationId);
    cell(row, event.instanceId);
    row.addEventListener('click', () => { select(eventsBody, row); showDetails(eventDetails, event.eventMetadata.map((m) => [m.key, m.value])); });
  });
  document.getElementById('event-count').textContent = eventsBody.rows.length + ' of ' + data.events.length + ' events';
}
for (const box of document.querySelectorAll('.filters input')) {
  box.addEventListener('change', () => { box.checked ? shown.add(box.value) : shown.delete(box.value); eventDetails.textContent = 'Select an event to see its metadata'; renderEvents(); });
}
renderEvents();
const reportsBody = document.querySelector('#reports tbody');
const reportDetails = document.getElementById('report-details');
if (reportsBody) {
  for (const report of data.reports) {
    const row = reportsBody.insertRow();
    cell(row, report.url);
    cell(row, report.type);
    cell(row, report.status).className = 'status-' + report.status;
    cell(row, report.destination);
    cell(row, report.generatedAt);
    cell(row, JSON.stringify(report.body));
    row.addEventListener('click', () => {
      select(reportsBody, row);
      reportDetails.replaceChildren();
      const pre = document.createElement('pre');
      pre.textContent = JSON.stringify(report.body, null, 2) + (report.history ? '\\n\\nStatus history: ' + report.history.map((h) => h.status).join(' → ') : '');
      reportDetails.append(pre);
    });
  }
}
`;

/** Column headers that every role engine and screen reader reads as such. */
function headerRow(names: readonly string[]): string {
  return `<tr>${names.map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('')}</tr>`;
}

/**
 * Renders recorded events (and reports, endpoints, bfcache checks) as one self-contained HTML
 * page laid out like DevTools' Background Services grid: no network access needed to open it.
 *
 * @example
 * await writeFile('timeline.html', renderTimeline({ events: recording.toJSON() }));
 */
export function renderTimeline(input: TimelineInput): string {
  const events = [...input.events].map(toProtocolEvent).sort((a, b) => a.timestamp - b.timestamp);
  const services = SERVICES.filter((service) => events.some((event) => event.service === service));
  const title = input.title ?? 'Background services';
  const reports = input.reports ?? [];
  const endpoints = input.endpoints ?? [];
  const bfcache = input.backForwardCache ?? [];
  const filters = services
    .map((service) => `<label><input type="checkbox" value="${service}" checked> ${escapeHtml(SERVICE_TITLES[service])}</label>`)
    .join('');
  const reportSection = reports.length
    ? `<h2>Reporting API</h2><table id="reports"><thead>${headerRow(['URL', 'Type', 'Status', 'Destination', 'Generated at', 'Body'])}</thead><tbody></tbody></table>
<div class="details" id="report-details">Select a report to see its body</div>`
    : '';
  const endpointSection = endpoints.length
    ? `<h2>Endpoints</h2><table id="endpoints"><thead>${headerRow(['Origin', 'Name', 'URL'])}</thead><tbody>${endpoints
        .map((e) => `<tr><td>${escapeHtml(e.origin)}</td><td>${escapeHtml(e.groupName)}</td><td>${escapeHtml(e.url)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const bfcacheSection = bfcache.length
    ? `<h2>Back/forward cache</h2><table id="bfcache"><thead>${headerRow(['URL', 'Restored', 'Reasons'])}</thead><tbody>${bfcache
        .map(
          (check) =>
            `<tr><td>${escapeHtml(check.url)}</td><td>${check.restored ? 'Restored' : 'Not restored'}</td><td>${escapeHtml(
              check.reasons.map((r) => `${r.reason} (${r.type})`).join(', '),
            )}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const data = { services, events, scopes: input.scopes ?? {}, reports };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="filters">${filters}</div><span id="event-count"></span></header>
${events.length ? '' : '<p class="empty">No background service events were recorded.</p>'}
${input.droppedEvents ? `<p class="dropped">${input.droppedEvents} older event(s) were dropped to keep within maxEvents; the ${events.length} newest are shown.</p>` : ''}
<table id="events"><thead>${headerRow(['#', 'Timestamp', 'Event', 'Origin', 'Storage Key', 'Service Worker Scope', 'Instance ID'])}</thead><tbody></tbody></table>
<div class="details" id="event-details">Select an event to see its metadata</div>
${reportSection}${endpointSection}${bfcacheSection}
<script type="application/json" id="timeline-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
