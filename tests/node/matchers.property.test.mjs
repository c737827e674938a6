// Property tests of loadRecording and the matchers, on the built package with the standalone
// `expect`: (1) on any input they succeed, fail as an assertion, or throw a BackgroundServicesError
// naming the bad part, never a raw TypeError and never a hang; (2) on random events and filters
// they agree with a reference predicate written here, and `.not` with its negation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expect } from 'expect';
import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';
import { BackgroundServicesError } from 'playwright-background-services';
import { anything, check, eventFilter, filterAgainst, protocolEvent, recordedEvent, withinTime } from './property-support.mjs';

expect.extend(backgroundServiceMatchers);

// ---------------------------------------------------------------------------------------------
// (1) Only clear errors

/** A protocol event with one field replaced by anything, or removed. */
const brokenEvent = fc
  .tuple(
    protocolEvent,
    fc.constantFrom('timestamp', 'origin', 'serviceWorkerRegistrationId', 'service', 'eventName', 'instanceId', 'eventMetadata', 'storageKey'),
    fc.option(anything),
  )
  .map(([event, key, value]) => {
    const copy = { ...event };
    if (value === null) delete copy[key];
    else copy[key] = value;
    return copy;
  });
const brokenMetadata = fc
  .tuple(protocolEvent, fc.array(anything, { minLength: 1, maxLength: 2 }))
  .map(([event, entries]) => ({ ...event, eventMetadata: [...event.eventMetadata, ...entries] }));
const isJson = (value) => {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
};
const eventLike = fc.oneof(protocolEvent, recordedEvent, brokenEvent, brokenMetadata, anything);
const savedArray = fc.array(eventLike, { maxLength: 4 });

const receiver = fc.oneof(savedArray, fc.record({ events: savedArray }), fc.record({ events: fc.array(recordedEvent, { maxLength: 3 }) }), anything);
const filterLike = fc.oneof(
  eventFilter,
  anything,
  fc.dictionary(fc.constantFrom('service', 'eventName', 'metadata', 'preexisting', 'origin', 'nope'), anything, { maxKeys: 3 }),
);
const optionsLike = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.record({ timeout: fc.constantFrom(0, 1, 5) }),
  fc.record({ ordered: anything, ignore: anything, timeout: fc.constantFrom(0, 1) }, { requiredKeys: [] }),
  anything,
);

/** The outcomes a matcher may have: it passed, it failed as an assertion, or it threw a clear error. */
async function outcome(what, run) {
  try {
    await withinTime(Promise.resolve().then(run), 2000, what);
    return 'pass';
  } catch (error) {
    if (error?.matcherResult) return 'fail';
    if (error instanceof BackgroundServicesError) {
      // Names the call and says what is wrong: "expect(recording).toX(): filter field 'y' must be …".
      assert.match(error.message, /^(expect\(\w+\)|loadRecording)[^:]*: \S/, `${what}: ${error.message}`);
      return 'error';
    }
    throw new Error(`${what} threw ${error?.constructor?.name}: ${error?.message ?? String(error)}`, { cause: error });
  }
}

const MATCHERS = [
  ['toHaveRecordedEvent', (r, a, o) => expect(r).toHaveRecordedEvent(a, o)],
  ['not.toHaveRecordedEvent', (r, a, o) => expect(r).not.toHaveRecordedEvent(a, o)],
  ['toHaveRecordedEvents', (r, a, o) => expect(r).toHaveRecordedEvents(Array.isArray(a) ? a : [a], o)],
  ['toHaveRecordedEvents(raw)', (r, a, o) => expect(r).toHaveRecordedEvents(a, o)],
  ['not.toHaveRecordedEvents', (r, a, o) => expect(r).not.toHaveRecordedEvents([a, a], o)],
  ['toMatchRecording', (r, a, o) => expect(r).toMatchRecording(a, o)],
  ['not.toMatchRecording', (r, a, o) => expect(r).not.toMatchRecording(a, o)],
  ['toHaveReportStatus', (r, a, o) => expect(r).toHaveReportStatus(a, o)],
  ['toHaveReport', (r, a, o) => expect(r).toHaveReport(a, o)],
  ['toHaveReceivedReport', (r, a, o) => expect(r).toHaveReceivedReport(a, o)],
];

test('property: loadRecording on any JSON text or value throws only BackgroundServicesError', async () => {
  const json = fc.oneof(
    fc.array(fc.oneof(protocolEvent, brokenMetadata.filter(isJson), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }).map((value) => JSON.stringify(value)),
    fc.json({ maxDepth: 3 }).map((t) => (t.trimStart().startsWith('[') ? t : `[${t}]`)),
    fc.string({ maxLength: 20 }).map((t) => `[${t}`),
  );
  await check(
    'loadRecording',
    300,
    fc.asyncProperty(fc.oneof(json, savedArray, anything), async (input) => {
      await outcome('loadRecording', () => loadRecording(input));
    }),
  );
});

test('property: every matcher on any receiver, argument and options: pass, fail or a clear error', async () => {
  await check(
    'matchers on any input',
    150,
    fc.asyncProperty(receiver, fc.oneof(filterLike, savedArray, fc.array(filterLike, { maxLength: 3 })), optionsLike, async (received, argument, options) => {
      for (const [name, run] of MATCHERS) await outcome(name, () => run(received, argument, options));
    }),
  );
});

// ---------------------------------------------------------------------------------------------
// (2) Agreement with a reference

/** The reference: the filter semantics of docs/matchers.md, written without the library's helpers. */
function textMatches(expected, actual, isOrigin = false) {
  if (expected instanceof RegExp) {
    // "A RegExp matches anywhere unless anchored"; sticky means anchored at the start; g has no state.
    const flags = expected.flags.replace(/[gy]/g, '');
    const source = expected.sticky ? `^(?:${expected.source})` : expected.source;
    return new RegExp(source, flags).test(actual);
  }
  // An origin with or without one trailing slash: equal once one is taken off each side.
  if (isOrigin) return actual.replace(/\/$/, '') === expected.replace(/\/$/, '');
  return actual === expected;
}

function referenceMatches(event, filter) {
  if (filter.eventName !== null && typeof filter.eventName === 'object' && !(filter.eventName instanceof RegExp)) {
    filter = { ...filter, eventName: filter.eventName.unlisted };
  }
  if (filter.service !== undefined && event.service !== filter.service) return false;
  for (const key of ['eventName', 'instanceId', 'origin', 'storageKey', 'serviceWorkerRegistrationId']) {
    if (filter[key] !== undefined && !textMatches(filter[key], event[key], key === 'origin')) return false;
  }
  const metadata = new Map(event.eventMetadata.map(({ key, value }) => [key, value]));
  for (const [key, expected] of Object.entries(filter.metadata ?? {})) {
    if (!metadata.has(key) || !textMatches(expected, metadata.get(key))) return false;
  }
  return (event.preexisting ?? false) === (filter.preexisting ?? false);
}

/** Is there a distinct event per filter (in order when ordered)? Brute force: the lists are short. */
function referenceAll(events, filters, ordered) {
  const search = (f, used, from) => {
    if (f === filters.length) return true;
    for (let i = ordered ? from : 0; i < events.length; i++) {
      if (used.has(i) || !referenceMatches(events[i], filters[f])) continue;
      used.add(i);
      if (search(f + 1, used, i + 1)) return true;
      used.delete(i);
    }
    return false;
  };
  return search(0, new Set(), 0);
}

function sameForRecording(saved, live, ignore) {
  if (saved.service !== live.service || saved.eventName !== live.eventName) return false;
  if (!ignore.includes('instanceId') && saved.instanceId !== live.instanceId) return false;
  if (ignore.includes('metadata')) return true;
  const a = new Map(saved.eventMetadata.map(({ key, value }) => [key, value]));
  const b = new Map(live.eventMetadata.map(({ key, value }) => [key, value]));
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (ignore.includes(`metadata.${key}`)) continue;
    if (a.get(key) !== b.get(key)) return false;
  }
  return true;
}

/** toMatchRecording: the saved events happen, in order, among the live events of this recording. */
function referenceRecording(saved, live, ignore) {
  const search = (s, from) => {
    if (s === saved.length) return true;
    for (let i = from; i < live.length; i++) {
      if (!live[i].preexisting && sameForRecording(saved[s], live[i], ignore) && search(s + 1, i + 1)) return true;
    }
    return false;
  };
  return search(0, 0);
}

/** Runs `assertion` and `.not`: exactly the one the reference predicts passes. */
async function agrees(expected, what, assertion) {
  // A failed assertion is an answer (false); any other error is the test's.
  const failed = (error) => {
    if (error?.matcherResult) return false;
    throw error;
  };
  const passed = await assertion(expect).then(() => true, failed);
  const negated = await assertion(expect, true).then(() => true, failed);
  assert.equal(passed, expected, `${what}: the matcher says ${passed}, the reference ${expected}`);
  assert.equal(negated, !expected, `${what}: .not says ${negated}, the reference ${!expected}`);
}
const subject = (expectFn, received, not) => (not ? expectFn(received).not : expectFn(received));

// Saved arrays (every event not preexisting) and { events } lists of recorded events (some are).
const events = fc.oneof(
  fc.array(protocolEvent, { maxLength: 6 }).map((list) => ({ received: list, events: list })),
  fc.array(recordedEvent, { maxLength: 6 }).map((list) => ({ received: { events: list }, events: list })),
);
const show = (value) => JSON.stringify(value, (_, v) => (v instanceof RegExp ? String(v) : v));

test('property: toHaveRecordedEvent and .not agree with the reference predicate', async () => {
  let matched = 0;
  const cases = events.chain((subject) => fc.tuple(fc.constant(subject), filterAgainst(subject.events)));
  const runs = await check(
    'toHaveRecordedEvent = reference',
    300,
    fc.asyncProperty(cases, async ([{ received, events: list }, filter]) => {
      const expected = list.some((event) => referenceMatches(event, filter));
      matched += expected;
      await agrees(expected, `filter ${show(filter)} on ${show(list)}`, (e, not) => subject(e, received, not).toHaveRecordedEvent(filter, { timeout: 0 }));
    }),
  );
  assert.ok(matched > runs * 0.2 && matched < runs * 0.8, `the generators make both matching and failing cases (${matched} of ${runs} match)`);
  console.log(`  ${matched} of ${runs} matched`);
});

test('property: toHaveRecordedEvents (ordered and not) and .not agree with the reference', async () => {
  let matched = 0;
  const cases = events.chain((subject) =>
    fc.tuple(fc.constant(subject), fc.array(filterAgainst(subject.events), { minLength: 1, maxLength: 3 }), fc.boolean()),
  );
  const runs = await check(
    'toHaveRecordedEvents = reference',
    250,
    fc.asyncProperty(cases, async ([{ received, events: list }, filters, ordered]) => {
      const expected = referenceAll(list, filters, ordered);
      matched += expected;
      await agrees(expected, `filters ${show(filters)} ordered=${ordered} on ${show(list)}`, (e, not) =>
        subject(e, received, not).toHaveRecordedEvents(filters, { ordered, timeout: 0 }),
      );
    }),
  );
  assert.ok(matched > runs * 0.15 && matched < runs * 0.85, `the generators make both matching and failing cases (${matched} of ${runs} match)`);
  console.log(`  ${matched} of ${runs} matched`);
});

test('property: toMatchRecording and .not agree with the reference', async () => {
  // Live events drawn from a few templates, saved ones from the same, so that matches happen.
  const scenario = fc.array(protocolEvent, { minLength: 1, maxLength: 3 }).chain((templates) =>
    fc.record({
      saved: fc.array(fc.constantFrom(...templates), { minLength: 1, maxLength: 3 }),
      live: fc.array(fc.tuple(fc.constantFrom(...templates), fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 6 }),
      ignore: fc.subarray(['instanceId', 'metadata', 'metadata.Status', 'metadata.a', 'metadata.__proto__']),
    }),
  );
  let matched = 0;
  const runs = await check(
    'toMatchRecording = reference',
    250,
    fc.asyncProperty(scenario, async ({ saved, live, ignore }) => {
      const liveEvents = live.map(([event, preexisting, n]) => ({
        ...event,
        instanceId: n === 0 ? `${event.instanceId}x` : event.instanceId,
        eventMetadata: n === 1 ? [...event.eventMetadata, { key: 'Status', value: 'changed' }] : event.eventMetadata,
        timestamp: event.timestamp + n,
        metadata: Object.fromEntries(
          (n === 1 ? [...event.eventMetadata, { key: 'Status', value: 'changed' }] : event.eventMetadata).map(({ key, value }) => [key, value]),
        ),
        preexisting: preexisting && n > 5,
      }));
      const expected = referenceRecording(saved, liveEvents, ignore);
      matched += expected;
      const options = ignore.length ? { ignore, timeout: 0 } : { timeout: 0 };
      await agrees(expected, `saved ${show(saved)} live ${show(liveEvents)} ignore ${ignore.join(',')}`, (e, not) =>
        subject(e, { events: liveEvents }, not).toMatchRecording(saved, options),
      );
    }),
  );
  assert.ok(matched > runs * 0.15 && matched < runs * 0.85, `the generators make both matching and failing cases (${matched} of ${runs} match)`);
  console.log(`  ${matched} of ${runs} matched`);
});

// ---------------------------------------------------------------------------------------------
// Report filters, on a real collector holding reports with any JSON bodies

test('property: toHaveReceivedReport on a real collector, any filter: a clear error, or agreement with a reference', async () => {
  const { request } = await import('node:https');
  const { startReportCollector } = await import('playwright-background-services');
  const collector = await startReportCollector();
  const post = (reports) =>
    new Promise((resolve, reject) => {
      const req = request(
        collector.endpoint('main'),
        { method: 'POST', ca: collector.certificate, headers: { 'Content-Type': 'application/reports+json' } },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.end(JSON.stringify(reports));
    });
  const bodies = fc.sample(fc.dictionary(fc.constantFrom('a', 'b', 'toString', '__proto__', '0'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), {
    numRuns: 6,
    seed: 1,
  });
  await post(bodies.map((body, i) => ({ type: i % 2 ? 'csp-violation' : 'deprecation', url: `https://a.test/${i}`, body })));
  const reports = collector.reports;
  const value = fc.oneof(
    fc.constantFrom('csp-violation', 'deprecation', 'https://a.test/1', 'main', 1, true, null),
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom(/a/, /^\{/, /1/, /null/, /defined/),
  );
  const filter = fc.oneof(
    fc.record(
      { type: value, url: value, destination: value, body: fc.dictionary(fc.constantFrom('a', 'b', 'toString', '__proto__', '0', 'c'), value, { maxKeys: 2 }) },
      { requiredKeys: [] },
    ),
    fc
      .tuple(fc.constantFrom('toString', 'constructor', 'hasOwnProperty'), fc.constantFrom(/defined/, /n/, /function/))
      .map(([key, match]) => ({ body: { [key]: match } })),
    anything,
  );
  // The reference: strings, numbers, booleans and null equal the value; a RegExp matches the
  // value's text (JSON for a non-string); body keys must be the report body's own.
  const same = (expected, actual) =>
    expected instanceof RegExp
      ? actual !== undefined &&
        new RegExp(expected.source, expected.flags.replace(/[gy]/g, '')).test(typeof actual === 'string' ? actual : JSON.stringify(actual))
      : actual === expected;
  const reference = (f) =>
    reports.some(
      (r) =>
        ['type', 'url', 'destination'].every((k) => f[k] === undefined || same(f[k], r[k])) &&
        Object.entries(f.body ?? {}).every(([k, v]) => Object.hasOwn(r.body, k) && same(v, r.body[k])),
    );
  try {
    await check(
      'toHaveReceivedReport on a collector',
      200,
      fc.asyncProperty(filter, async (f) => {
        const verdict = await outcome('toHaveReceivedReport', () => expect(collector).toHaveReceivedReport(f, { timeout: 1 }));
        const negated = await outcome('not.toHaveReceivedReport', () => expect(collector).not.toHaveReceivedReport(f, { timeout: 1 }));
        const bodyValues = typeof f === 'object' && f !== null && typeof f.body === 'object' && f.body !== null ? Object.values(f.body) : [];
        if (bodyValues.some((v) => typeof v === 'object' && v !== null && !(v instanceof RegExp)))
          assert.equal(verdict, 'error', `an object in a body filter is refused: ${show(f)}`);
        if (verdict === 'error') return assert.equal(negated, 'error');
        assert.equal(verdict === 'pass', reference(f), `filter ${show(f)}: the matcher ${verdict}es`);
        assert.equal(negated === 'pass', !reference(f), `filter ${show(f)}: .not ${negated}s`);
      }),
    );
  } finally {
    await collector.stop();
  }
});
