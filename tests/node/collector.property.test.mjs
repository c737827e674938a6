// Property test of the report collector over raw TLS sockets: random methods, paths, content
// types, bodies, sizes, chunking, slow and cut-off uploads. The collector answers 4xx to what
// is not a valid upload, records only valid ones, never crashes, and a valid upload sent after
// each case is still recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:tls';
import fc from 'fast-check';
import { startReportCollector } from 'playwright-background-services';
import { check } from './property-support.mjs';

const MAX_BODY = 4096;
let collector;
let port;
before(async () => {
  collector = await startReportCollector({ maxBodyBytes: MAX_BODY });
  port = Number(new URL(collector.url).port);
});
after(() => collector?.stop());

const scope = () => new URL(collector.url).pathname; // '/<id>'
const report = fc.record(
  {
    type: fc.constantFrom('csp-violation', 'deprecation', 'x'),
    url: fc.webUrl(),
    age: fc.nat(),
    body: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    user_agent: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: ['type'] },
);
/** How many reports a body holds when it is a valid upload (an array of objects with a string type). */
function reportsIn(text) {
  try {
    const value = JSON.parse(text);
    if (Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && typeof item.type === 'string')) return value.length;
  } catch {
    // Not JSON: not a valid upload.
  }
  return undefined;
}
const body = fc.oneof(
  { weight: 3, arbitrary: fc.array(report, { maxLength: 3 }).map((reports) => ({ text: JSON.stringify(reports), reports: reports.length })) },
  fc.json({ maxDepth: 2 }).map((text) => ({ text, reports: reportsIn(text) })),
  fc
    .array(fc.oneof(fc.record({ type: fc.jsonValue() }), fc.jsonValue()), { minLength: 1, maxLength: 2 })
    .map((items) => JSON.stringify(items))
    .map((text) => ({ text, reports: reportsIn(text) })),
  fc.string({ maxLength: 30 }).map((text) => ({ text, reports: reportsIn(text) })),
  fc
    .constantFrom('', '[', '[{"type": "x"}', '[{"type": "x"}]]', '\u0000', '[{"type": "x"}]\u0000', ' [ ] ')
    .map((text) => ({ text, reports: reportsIn(text) })),
  fc.integer({ min: MAX_BODY + 1, max: MAX_BODY * 4 }).map((size) => ({ text: `[${' '.repeat(size - 17)}{"type": "big"}]`, reports: 1 })),
);
const anyUpload = fc.record({
  method: fc.oneof({ weight: 4, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'post', 'BREW')),
  path: fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('main', 'default', 'nel', 'a_b-1'), fc.constantFrom('', '', '?x=%00&y', '#f'))
        .map(([name, query]) => ({ own: name, query })),
    },
    fc.constantFrom('/', '//[', '//a b/', '/%zz/reports/main', '/nope/reports/main', '*', 'http://[/', '/x?y=%').map((raw) => ({ raw })),
    fc
      .constantFrom('/reports/', '/reports', '/page/1', '/reports/main/extra', '/reports/main/', '/reports/%ff', '/reports/a.b', '/page/1/x')
      .map((tail) => ({ tail })),
    fc.string({ unit: fc.constantFrom('/', 'a', '%', '[', ']', '?', '#', '.', '\\', '~'), maxLength: 8 }).map((raw) => ({ raw: `/${raw}` })),
  ),
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('application/reports+json', 'application/json', 'Application/Reports+JSON; charset=utf-8') },
    fc.constantFrom(undefined, '', 'text/plain', 'application/reports+jsonx', ';', 'application/json;;='),
  ),
  body,
  framing: fc.constantFrom('length', 'length', 'chunked', 'none', 'cut', 'cut-chunked', 'slow'),
  pieces: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
});

// A third of the cases are well-formed uploads, framed any complete way.
const goodUpload = fc.record({
  method: fc.constant('POST'),
  path: fc.tuple(fc.constantFrom('main', 'default', 'nel', 'a_b-1'), fc.constantFrom('', '?x=%00&y', '#f')).map(([name, query]) => ({ own: name, query })),
  contentType: fc.constantFrom('application/reports+json', 'application/json', 'Application/Reports+JSON; charset=utf-8'),
  body: fc.array(report, { maxLength: 3 }).map((reports) => ({ text: JSON.stringify(reports), reports: reports.length })),
  framing: fc.constantFrom('length', 'chunked', 'slow'),
  pieces: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
});
const upload = fc.oneof({ weight: 2, arbitrary: anyUpload }, goodUpload);

function target(path) {
  if (path.own) return `${scope()}/reports/${path.own}${path.query}`;
  if (path.tail) return `${scope()}${path.tail}`;
  return path.raw;
}

/** Sends one request on a raw TLS socket; resolves with the status, or undefined without one. */
function send({ method, path, contentType, body: { text }, framing, pieces }) {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(text, 'utf8');
    const head = [`${method} ${target(path)} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
    if (contentType !== undefined) head.push(`Content-Type: ${contentType}`);
    const chunked = framing === 'chunked' || framing === 'cut-chunked';
    if (chunked) head.push('Transfer-Encoding: chunked');
    else if (framing === 'cut') head.push(`Content-Length: ${bytes.length + 10}`);
    else if (framing !== 'none') head.push(`Content-Length: ${bytes.length}`);
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 15 s to ${method} ${target(path)} (${framing})`));
    }, 15_000);
    const done = () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve(status ? Number(status) : undefined);
    };
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', () => {}); // The server may close first (413, 4xx): what it answered counts.
    socket.on('close', done);
    socket.on('secureConnect', () => void send());
    const send = async () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      if (framing === 'none') return;
      const parts = [];
      for (let at = 0, i = 0; at < bytes.length; i++) {
        const size = pieces[i % pieces.length] * (bytes.length > 256 ? 64 : 1);
        parts.push(bytes.subarray(at, at + size));
        at += size;
      }
      const cut = framing === 'cut' || framing === 'cut-chunked';
      for (const [i, part] of (cut ? parts.slice(0, Math.max(1, parts.length - 1)) : parts).entries()) {
        if (socket.destroyed) return;
        socket.write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
        if (framing === 'slow' && i < 4) await new Promise((r) => setTimeout(r, 5));
      }
      if (cut)
        socket.end(); // Half the body, then the client goes away.
      else if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
    };
  });
}

/** A well-formed upload through Node's own client: it must be recorded. */
function validUpload(type) {
  return new Promise((resolve, reject) => {
    const req = request(
      collector.endpoint('main'),
      { method: 'POST', ca: collector.certificate, headers: { 'Content-Type': 'application/reports+json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('the collector did not answer a valid upload within 15 s')));
    req.end(JSON.stringify([{ type, url: 'https://a.test/', body: {} }]));
  });
}

const isValid = ({ method, path, contentType, body, framing }) =>
  method === 'POST' &&
  path.own !== undefined &&
  ['application/reports+json', 'application/json'].includes((contentType ?? '').split(';')[0].trim().toLowerCase()) &&
  body.reports !== undefined &&
  Buffer.byteLength(body.text) <= MAX_BODY &&
  !['none', 'cut', 'cut-chunked'].includes(framing);

test('property: the collector answers 4xx to bad uploads, records only valid ones, and stays up', async () => {
  let valid = 0;
  let rejected = 0;
  let probe = 0;
  const runs = await check(
    'report collector over raw sockets',
    120,
    fc.asyncProperty(upload, async (u) => {
      const before = collector.reports.length;
      const status = await send(u);
      const added = collector.reports.length - before;
      const what = `${u.method} ${target(u.path)} ${u.contentType} ${u.framing} ${JSON.stringify(u.body.text.slice(0, 60))}`;
      if (isValid(u)) {
        valid++;
        assert.equal(status, 204, `a valid upload is accepted: ${what}`);
        assert.equal(added, u.body.reports, `a valid upload is recorded: ${what}`);
      } else {
        rejected++;
        assert.equal(added, 0, `nothing recorded from ${what}`);
        const preflight = u.method === 'OPTIONS' && status === 204;
        if (status !== undefined && !preflight) assert.ok(status >= 400 && status < 500, `a 4xx for ${what}, got ${status}`);
        if (status === undefined) assert.ok(u.framing.startsWith('cut') || u.framing === 'none', `an answer for ${what}`);
      }
      const type = `probe-${++probe}`;
      assert.equal(await validUpload(type), 204, `still answering after ${what}`);
      assert.equal(collector.reports.at(-1)?.type, type, `still recording after ${what}`);
    }),
  );
  console.log(`  ${valid} valid and ${rejected} bad uploads of ${runs}`);
  assert.ok(valid > runs * 0.1 && rejected > runs * 0.3, 'both kinds are drawn');
});
