// One plain test per bug the property tests (*.property.test.mjs) found, so that each stays
// fixed whatever the generators happen to draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { join } from 'node:path';
import { expect } from 'expect';
import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';
import { BackgroundServicesError } from 'playwright-background-services';

expect.extend(backgroundServiceMatchers);

const event = (overrides = {}) => ({
  timestamp: 1_763_700_000,
  origin: 'http://a.test/',
  serviceWorkerRegistrationId: '1',
  service: 'pushMessaging',
  eventName: 'Push event completed',
  instanceId: '',
  eventMetadata: [{ key: 'Status', value: 'Success' }],
  storageKey: 'http://a.test/',
  ...overrides,
});

test('a saved array holding a non-event names the item instead of a raw TypeError', async () => {
  // Was: TypeError: Cannot read properties of undefined (reading 'length') (JSON.stringify(undefined)).
  await assert.rejects(expect([event(), undefined]).toHaveRecordedEvent({ eventName: 'x' }), {
    name: 'BackgroundServicesError',
    message:
      'expect(events).toHaveRecordedEvent(): item 1 is not a background service event (it needs timestamp, service, eventName and eventMetadata; it is undefined): undefined',
  });
  // A hole in a sparse array is an undefined item too (was: reading 'service' of undefined).
  // eslint-disable-next-line no-sparse-arrays -- the hole is what this line tests
  await assert.rejects(expect([, event()]).toHaveRecordedEvent({ eventName: 'x' }), /item 0 is not a background service event .*it is undefined/);
  await assert.rejects(
    loadRecording([event(), () => {}]),
    /^BackgroundServicesError: loadRecording\(\): item 1 is not a background service event .*it is function/,
  );
  await assert.rejects(loadRecording([{ ...event(), count: 1n }, 1n]), /item 1 .*it is bigint 1n/);
  await assert.rejects(loadRecording(1n), { message: 'loadRecording(): expected a file path, a JSON string or an array of events, got 1n.' });
});

test('saved events with bad metadata entries or field types are refused, naming the field', async () => {
  // Was: TypeError: Cannot destructure property 'key' of null.
  await assert.rejects(
    expect([event({ eventMetadata: [null] })]).toHaveRecordedEvent({}),
    /item 0 .*eventMetadata\[0\] must be \{ key: string, value: string \}, got null/,
  );
  await assert.rejects(loadRecording([event({ origin: 5 })]), /item 0 .*origin must be a string, got number 5/);
  await assert.rejects(loadRecording([event({ timestamp: Infinity })]), /item 0 .*timestamp must be a number, got number null/);
});

test('an { events } object that is not a recording is checked, not read blindly', async () => {
  // Was: TypeError reading 'metadata' / 'service' of the bad event.
  await assert.rejects(expect({ events: [1] }).toHaveRecordedEvent({ metadata: { a: 'b' } }), {
    name: 'BackgroundServicesError',
    message: 'expect(recording).toHaveRecordedEvent(): events[0] is not a recorded event (use loadRecording() for a saved export; it is number 1): 1',
  });
  await assert.rejects(
    expect([event()]).toMatchRecording({ events: [event()] }),
    /toMatchRecording\(\) saved: events\[0\] is not a recorded event .*metadata must be an object of strings/,
  );
  // Recorded events as recording.events holds them are fine.
  await expect({ events: [{ ...event(), metadata: { Status: 'Success' }, preexisting: true }] }).toHaveRecordedEvent({ preexisting: true });
});

test('options that are not an object are named (was: reading "timeout" of null)', async () => {
  await assert.rejects(expect([event()]).toHaveRecordedEvent({}, null), {
    name: 'BackgroundServicesError',
    message: 'expect(recording).toHaveRecordedEvent(): options must be an object such as { timeout: 5000 }, got null.',
  });
  await assert.rejects(expect([event()]).toHaveRecordedEvents([{}], { ordered: 'yes' }), /options\.ordered must be true or false, got string "yes"/);
  await assert.rejects(
    expect([event()]).toMatchRecording([event()], { ignore: 'instanceId' }),
    /options\.ignore must be an array such as \['instanceId', 'metadata\.Payload'\], got string "instanceId"/,
  );
  await assert.rejects(expect([event()]).toMatchRecording([event()], { ignore: [1] }), /unknown ignore entry number 1/);
  await assert.rejects(expect({}).toHaveReport({}, 5), /^BackgroundServicesError: expect\(reportingApi\)\.toHaveReport\(\): options must be an object/);
});

test('the page, bounce tracking, push and notification matchers name options that are not an object too (was: reading "timeout" of null)', async () => {
  /** @type {[matcher: string, receiver: string, args: unknown[]][]} */
  const cases = [
    ['toBeRestoredFromBackForwardCache', 'expect(page)', []],
    ['toHaveNotRestoredReason', 'expect(page)', ['UnloadHandlerExistsInMainFrame']],
    ['toHaveDeletedSites', 'expect(received)', [['tracker.test']]],
    ['toHaveFlaggedBounceTracker', 'expect(bounceTrackingIssues)', ['tracker.test']],
    ['toHaveReceivedPush', 'expect(pushService)', [{}]],
    ['toHaveReceivedMessage', 'expect(fcm)', [{}]],
    ['toHaveShownNotification', 'expect(desktop)', [{}]],
  ];
  for (const [matcher, receiver, args] of cases) {
    await assert.rejects(expect({})[matcher](...args, null), {
      name: 'BackgroundServicesError',
      message: `${receiver}.${matcher}(): options must be an object such as { timeout: 5000 }, got null.`,
    });
  }
});

test("metadata keys are the event's own: toString, constructor and __proto__", async () => {
  // Was: { metadata: { toString: /native/ } } matched every event through Object.prototype.toString.
  await expect([event()]).not.toHaveRecordedEvent({ metadata: { toString: /native/ } });
  await expect([event()]).not.toHaveRecordedEvent({ metadata: { constructor: /./ } });
  // Was: a '__proto__' metadata entry was dropped when the event was read.
  const proto = event({ eventMetadata: [{ key: '__proto__', value: 'kept' }] });
  await expect([proto]).toHaveRecordedEvent({ metadata: JSON.parse('{"__proto__": "kept"}') });
  await expect([proto]).toMatchRecording([proto]);
  await expect([proto]).not.toMatchRecording([event({ eventMetadata: [{ key: '__proto__', value: 'other' }] })]);
});

test('an origin filter takes one trailing slash off each side, like sameOrigin()', async () => {
  await expect([event({ origin: 'http://a.test/' })]).toHaveRecordedEvent({ origin: 'http://a.test' });
  await expect([event({ origin: 'http://a.test' })]).toHaveRecordedEvent({ origin: 'http://a.test/' });
  // Was: 'http://a.test//' matched 'http://a.test/' one way but not the other.
  await expect([event({ origin: 'http://a.test/' })]).not.toHaveRecordedEvent({ origin: 'http://a.test//' });
  await expect([event({ origin: 'http://a.test//' })]).not.toHaveRecordedEvent({ origin: 'http://a.test' });
});

test("service takes a name, not a RegExp: the error says so (docs/matchers.md's filter fields agree)", async () => {
  await assert.rejects(expect([event()]).toHaveRecordedEvent({ service: /push/ }), {
    name: 'BackgroundServicesError',
    message:
      "expect(recording).toHaveRecordedEvent(): filter field 'service' takes a service name, not a RegExp (got /push/). Expected one of: backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging; leave 'service' out to match every service, or match 'eventName' with a RegExp.",
  });
  assert.ok(new BackgroundServicesError('x') instanceof Error);
});

test('spec: data with line breaks, quotes and lone surrogates stays inside its literal or comment', async () => {
  const { execFile } = await import('node:child_process');
  const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const ts = (await import('typescript')).default;
  const dir = await mkdtemp(join(os.tmpdir(), 'pbs-spec-'));
  const run = (...args) =>
    new Promise((resolve) =>
      execFile(process.execPath, ['dist/cli.js', ...args], (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr })),
    );
  try {
    const file = join(dir, 'export.json');
    const payload = "it's\r\nline \u2028 two \ud800 \\";
    // Was: a raw \r ended the literal, a newline in the origin ended the comment and became code.
    await writeFile(
      file,
      JSON.stringify([
        event({ eventName: 'Push event dispatched', origin: 'https://a.test/\nprocess.exit(1)', eventMetadata: [{ key: 'Payload', value: payload }] }),
      ]),
    );
    assert.equal((await run('spec', file, '-o', join(dir, 'out.spec.ts'))).code, 0);
    const text = await readFile(join(dir, 'out.spec.ts'), 'utf8');
    assert.deepEqual(ts.transpileModule(text, { reportDiagnostics: true }).diagnostics, []);
    assert.ok(text.includes(`await triggerPush('it\\'s\\r\\nline \\u2028 two \\ud800 \\\\');`), text);
    assert.ok(text.includes('recorded on https://a.test/\\nprocess.exit(1).'), text);
    // Was: a spec for an empty export, whose toMatchRecording throws before the test starts.
    await writeFile(file, '[]');
    const empty = await run('spec', file, '-o', join(dir, 'empty.spec.ts'));
    assert.equal(empty.code, 1);
    assert.equal(empty.stderr, `${file} holds no events: a spec needs at least one event to reproduce.\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('collector: an unparsable request target gets a 400 instead of ending the process; only endpoint URLs take uploads', async () => {
  const { connect } = await import('node:tls');
  const { startReportCollector } = await import('playwright-background-services');
  const collector = await startReportCollector();
  const { port, pathname } = new URL(collector.url);
  const raw = (head, body = '') =>
    new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false }, () =>
        socket.end(`${head}\r\nHost: x\r\nConnection: close\r\nContent-Type: application/reports+json\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
      );
      let text = '';
      socket.on('data', (data) => (text += data));
      socket.on('error', () => {});
      socket.on('close', () => resolve(text.split('\r\n')[0]));
    });
  try {
    // Was: new URL('//[', origin) threw inside the request handler: an uncaught exception.
    assert.equal(await raw('GET //[ HTTP/1.1'), 'HTTP/1.1 400 Bad Request');
    assert.equal(await raw('POST //a b/ HTTP/1.1'), 'HTTP/1.1 400 Bad Request');
    // Was: recorded, with destination 'main'.
    assert.equal(await raw(`POST ${pathname}/reports/main/extra HTTP/1.1`, '[{"type":"x"}]'), 'HTTP/1.1 404 Not Found');
    assert.equal(await raw(`POST ${pathname}/reports/%ff HTTP/1.1`, '[{"type":"x"}]'), 'HTTP/1.1 404 Not Found');
    assert.equal(collector.reports.length, 0);
    assert.equal(await raw(`POST ${pathname}/reports/main HTTP/1.1`, '[{"type":"x"}]'), 'HTTP/1.1 204 No Content');
    assert.deepEqual(
      collector.reports.map((r) => [r.type, r.destination]),
      [['x', 'main']],
    );
  } finally {
    await collector.stop();
  }
});

test("report filters read the body's own keys, and refuse an object or array as a body value", async () => {
  const { request } = await import('node:https');
  const { startReportCollector } = await import('playwright-background-services');
  const collector = await startReportCollector();
  try {
    await new Promise((resolve, reject) =>
      request(collector.endpoint('main'), { method: 'POST', ca: collector.certificate, headers: { 'Content-Type': 'application/reports+json' } }, (res) =>
        res.resume().on('end', resolve),
      )
        .on('error', reject)
        .end('[{"type":"x","body":{"a":1}}]'),
    );
    // Was: 'toString' in body held, and the function's JSON (undefined) read as "undefined".
    await expect(collector).not.toHaveReceivedReport({ body: { toString: /defined/ } }, { timeout: 1 });
    await expect(collector).toHaveReceivedReport({ body: { a: 1 } }, { timeout: 1 });
    // Was: accepted, and compared by identity: never a match, never an error.
    await assert.rejects(expect(collector).toHaveReceivedReport({ body: { a: {} } }, { timeout: 1 }), {
      name: 'BackgroundServicesError',
      message: 'expect(reportCollector).toHaveReceivedReport(): body.a must be a string, a RegExp, a number, a boolean or null, got an object (Object).',
    });
  } finally {
    await collector.stop();
  }
});
