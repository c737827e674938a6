import { SERVICE_TITLES, SERVICES } from '../background-services/services.js';
import { toProtocolEvent, type BackgroundServiceEvent } from '../background-services/events.js';

/** A report, as `WatchedReport.toJSON()` gives it. */
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

/** A `testBackForwardCache` result, and when it ran. */
export interface TimelineBackForwardCache {
  url: string;
  restored: boolean;
  reasons: Array<{ type: string; reason: string }>;
  /** Milliseconds since the epoch. */
  startedAt?: number;
  endedAt?: number;
}

/** A test step, such as `triggerPush("hello")`. */
export interface TimelineStep {
  title: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  endedAt: number;
  error?: string;
}

export interface TimelineInput {
  title?: string;
  events: readonly BackgroundServiceEvent[];
  /** Service worker scope per registration id. */
  scopes?: Readonly<Record<string, string>>;
  reports?: readonly TimelineReport[];
  endpoints?: readonly TimelineEndpoint[];
  backForwardCache?: readonly TimelineBackForwardCache[];
  droppedEvents?: number;
  steps?: readonly TimelineStep[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
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

.views { display: flex; gap: 0; margin: 8px 12px 0; }
.views button { font: inherit; padding: 4px 12px; border: 1px solid var(--border); background: #fff; cursor: pointer; }
.views button[aria-pressed="true"] { background: var(--sel); font-weight: 600; }
[hidden] { display: none !important; }
#time-view { margin: 8px 12px; }
#time-view svg { display: block; width: 100%; height: auto; border: 1px solid var(--border); background: #fff; }
#time-view .lane-label { font-size: 12px; fill: #202124; }
#time-view .lane-bg { fill: #f8f9fa; }
#time-view .lane-bg.odd { fill: #fff; }
#time-view .tick line { stroke: #e0e0e0; }
#time-view .tick text { font-size: 10px; fill: #5f6368; }
#time-view .mark { cursor: pointer; outline: none; }
#time-view .mark:hover > :first-child, #time-view .mark:focus > :first-child { stroke: #202124; stroke-width: 2; }
#time-view .mark.selected > :first-child { stroke: #1a73e8; stroke-width: 3; }
#time-view .mark text { font-size: 10px; fill: #202124; pointer-events: none; }
#time-view .start { color: #5f6368; margin: 0 0 4px; }
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

// The time axis: one lane per service, then reports, back/forward cache checks and the test's steps.
const SVG = 'http://www.w3.org/2000/svg';
const svgEl = (name, attrs, parent) => { const el = document.createElementNS(SVG, name); for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v)); if (parent) parent.append(el); return el; };
const COLORS = { backgroundFetch: '#9334e6', backgroundSync: '#1a73e8', notifications: '#e37400', paymentHandler: '#007b83', periodicBackgroundSync: '#185abc', pushMessaging: '#d01884' };
const STATUS_COLORS = { Queued: '#b06000', Pending: '#f9ab00', Success: '#188038', MarkedForRemoval: '#c5221f' };
const clock = (ms) => time(ms / 1000);
const allLanes = [];
for (const service of data.services) {
  allLanes.push({ id: service, title: data.titles[service], marks: data.events.filter((e) => e.service === service).map((e) => ({
    kind: 'event', start: e.timestamp * 1000, color: COLORS[service] || '#5f6368', label: e.eventName,
    details: [['Lane', data.titles[service]], ['Time', clock(e.timestamp * 1000)], ['Event', e.eventName], ['Origin', e.origin], ['Storage Key', e.storageKey],
      ['Service Worker Scope', data.scopes[e.serviceWorkerRegistrationId] || e.serviceWorkerRegistrationId], ['Instance ID', e.instanceId], ...e.eventMetadata.map((m) => [m.key, m.value])],
  })) });
}
const reportMarks = [];
for (const report of data.reports) {
  const history = report.history && report.history.length ? report.history : [{ status: report.status, at: report.generatedAt }];
  history.forEach((change, i) => reportMarks.push({ kind: 'report', start: Date.parse(change.at), color: STATUS_COLORS[change.status] || '#5f6368', label: change.status,
    details: [['Lane', 'Reporting API'], ['Time', clock(Date.parse(change.at))], ['Status', change.status + (i ? ' (was ' + history[i - 1].status + ')' : '')], ['Type', report.type], ['URL', report.url], ['Destination', report.destination], ['Body', JSON.stringify(report.body, null, 2)]] }));
}
if (reportMarks.length) allLanes.push({ id: 'reports', title: 'Reporting API', marks: reportMarks });
const bfcacheMarks = data.backForwardCache.filter((c) => typeof c.startedAt === 'number').map((c) => ({ kind: 'bfcache', start: c.startedAt, end: c.endedAt, color: c.restored ? '#188038' : '#c5221f', label: c.restored ? 'Restored' : 'Not restored',
  details: [['Lane', 'Back/forward cache'], ['Started', clock(c.startedAt)], ['Ended', clock(c.endedAt ?? c.startedAt)], ['URL', c.url], ['Result', c.restored ? 'Restored' : 'Not restored'], ...c.reasons.map((r) => ['Reason', r.reason + ' (' + r.type + ')'])] }));
if (bfcacheMarks.length) allLanes.push({ id: 'bfcache', title: 'Back/forward cache', marks: bfcacheMarks });
const stepMarks = data.steps.map((s) => ({ kind: 'step', start: s.startedAt, end: s.endedAt, color: s.error ? '#c5221f' : '#5f6368', label: s.title,
  details: [['Lane', 'Test steps'], ['Step', s.title], ['Started', clock(s.startedAt)], ['Ended', clock(s.endedAt)], ['Duration', (s.endedAt - s.startedAt) + ' ms'], ...(s.error ? [['Error', s.error]] : [])] }));
if (stepMarks.length) allLanes.push({ id: 'steps', title: 'Test steps', marks: stepMarks });

function renderTimeAxis() {
  const view = document.getElementById('time-view');
  view.querySelector('svg')?.remove();
  // The service checkboxes of the header filter these lanes as they filter the grid.
  const lanes = allLanes.filter((lane) => !data.services.includes(lane.id) || shown.has(lane.id));
  const all = lanes.flatMap((lane) => lane.marks);
  if (!all.length) { view.querySelector('.start').textContent = 'Nothing to show on a time axis.'; return; }
  let min = Math.min(...all.map((m) => m.start));
  let max = Math.max(...all.map((m) => m.end ?? m.start));
  if (max - min < 10) { min -= 5; max += 5; }
  const pad = (max - min) * 0.03;
  min -= pad; max += pad;
  const LABEL = 170, WIDTH = 1100, LANE = 40, TOP = 24;
  const x = (t) => LABEL + ((t - min) / (max - min)) * (WIDTH - LABEL - 10);
  const height = TOP + lanes.length * LANE + 4;
  const svg = svgEl('svg', { viewBox: '0 0 ' + WIDTH + ' ' + height, role: 'group', 'aria-label': 'Events on a time axis' });
  view.querySelector('.start').textContent = 'From ' + clock(min + pad) + ' to ' + clock(max - pad) + ' (' + Math.round(max - min - 2 * pad) + ' ms)';
  const raw = (max - min) / 8, power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw);
  const origin = min + pad;
  for (let t = Math.ceil((min - origin) / step) * step; origin + t <= max; t += step) {
    const g = svgEl('g', { class: 'tick' }, svg);
    svgEl('line', { x1: x(origin + t), x2: x(origin + t), y1: TOP - 6, y2: height }, g);
    svgEl('text', { x: x(origin + t) + 2, y: TOP - 10 }, g).textContent = (t >= 0 ? '+' : '') + (step >= 1000 ? (t / 1000).toFixed(step >= 10000 ? 0 : 1) + ' s' : Math.round(t) + ' ms');
  }
  lanes.forEach((lane, index) => {
    const y = TOP + index * LANE;
    const g = svgEl('g', { class: 'lane', 'data-lane': lane.id }, svg);
    svgEl('rect', { class: 'lane-bg' + (index % 2 ? ' odd' : ''), x: 0, y, width: WIDTH, height: LANE }, g);
    svgEl('text', { class: 'lane-label', x: 8, y: y + LANE / 2 + 4 }, g).textContent = lane.title;
    let lastX = -Infinity, row = 0;
    for (const mark of lane.marks.slice().sort((a, b) => a.start - b.start)) {
      const mx = x(mark.start);
      // Marks closer than their size share the time: spread them over three rows of the lane.
      row = mx - lastX < 8 ? (row + 1) % 3 : 0;
      lastX = mx;
      const cy = y + LANE / 2 + (row - 1) * 9;
      const m = svgEl('g', { class: 'mark', 'data-kind': mark.kind, tabindex: 0, role: 'button' }, g);
      m.setAttribute('aria-label', mark.label + ' at ' + clock(mark.start));
      if (mark.end !== undefined) {
        const w = Math.max(3, x(mark.end) - mx);
        svgEl('rect', { x: mx, y: y + 8 + row * 2, width: w, height: LANE - 16, rx: 3, fill: mark.color, 'fill-opacity': 0.25, stroke: mark.color }, m);
        if (w > 50) { const t = svgEl('text', { x: mx + 4, y: y + LANE / 2 + 4 }, m); t.textContent = mark.label.length > w / 6 ? mark.label.slice(0, Math.max(1, Math.floor(w / 6) - 1)) + '…' : mark.label; }
      } else {
        svgEl('circle', { cx: mx, cy, r: 5, fill: mark.color }, m);
      }
      svgEl('title', {}, m).textContent = mark.label + ' (' + clock(mark.start) + ')';
      const show = () => showDetails(document.getElementById('time-details'), mark.details.filter(([, v]) => v !== undefined && v !== ''));
      m.addEventListener('mouseenter', show);
      m.addEventListener('focus', show);
      m.addEventListener('click', () => { for (const other of svg.querySelectorAll('.mark.selected')) other.classList.remove('selected'); m.classList.add('selected'); show(); });
    }
  });
  view.insertBefore(svg, document.getElementById('time-details'));
}
renderTimeAxis();
for (const box of document.querySelectorAll('.filters input')) box.addEventListener('change', renderTimeAxis);
for (const button of document.querySelectorAll('.views button')) {
  button.addEventListener('click', () => {
    for (const other of document.querySelectorAll('.views button')) {
      const on = other === button;
      other.setAttribute('aria-pressed', String(on));
      document.getElementById(other.dataset.view).hidden = !on;
    }
  });
}
`;

/** Column headers that every role engine and screen reader reads as such. */
function headerRow(names: readonly string[]): string {
  return `<tr>${names.map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('')}</tr>`;
}

/**
 * Renders events (and reports, bfcache checks) as one self-contained HTML page.
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
  const steps = input.steps ?? [];
  const data = { services, titles: SERVICE_TITLES, events, scopes: input.scopes ?? {}, reports, backForwardCache: bfcache, steps };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="filters">${filters}</div><span id="event-count"></span></header>
<div class="views" role="group" aria-label="View"><button type="button" data-view="grid-view" aria-pressed="true">Grid</button><button type="button" data-view="time-view" aria-pressed="false">Time axis</button></div>
<section id="time-view" hidden><p class="start"></p><div class="details" id="time-details">Hover or click a mark to see its details</div></section>
<section id="grid-view">
${events.length ? '' : '<p class="empty">No background service events were recorded.</p>'}
${input.droppedEvents ? `<p class="dropped">${input.droppedEvents} older event(s) were dropped to keep within maxEvents; the ${events.length} newest are shown.</p>` : ''}
<table id="events"><thead>${headerRow(['#', 'Timestamp', 'Event', 'Origin', 'Storage Key', 'Service Worker Scope', 'Instance ID'])}</thead><tbody></tbody></table>
<div class="details" id="event-details">Select an event to see its metadata</div>
${reportSection}${endpointSection}${bfcacheSection}
</section>
<script type="application/json" id="timeline-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
