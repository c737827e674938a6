// 3. Scale: a recording of 10,000 events made by a real service worker.
//
// bench/pages/sw.js shows COUNT notifications in a loop; Chromium logs each as a
// "Notification displayed" event of the notifications service (metadata Title "n <i>").
//
// - Matcher time over the full recording: expect(recording).toHaveRecordedEvent() for a filter
//   that only the last event matches, and .not for a filter that matches nothing; median of many
//   runs. Baseline: the same search written by hand over the raw protocol events a bare CDP
//   listener keeps (the cost of the search itself). Goal: < 20 ms.
// - Memory per event: heap used (after global.gc()) before and after the recording filled,
//   divided by the count; baseline: a bare CDP listener that keeps the protocol events in an array.
// - Filling with a matcher waiting: how long the same burst takes, and how much Node CPU it
//   costs, when an assertion for the last event is already waiting (the usual way to write
//   "wait until it happened") versus nobody waiting. The matchers re-evaluate on every event.
/* global window -- the page.evaluate() callbacks run in the page */
import { expect } from 'expect';
import { createBackgroundServices } from 'playwright-background-services';
import { backgroundServiceMatchers } from 'playwright-background-services/matchers';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

expect.extend(backgroundServiceMatchers);

function gcNow() {
  // Several passes: weak references and finalizers are released over more than one.
  for (let i = 0; i < 4; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

async function openBenchPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

function burst(page, count) {
  // The page asks its service worker; resolves when the worker's showNotification() calls are done.
  return page.evaluate(([count]) => window.burst(count, 100), [count]);
}

/** Waits until `count()` reaches `n`, re-checking on `subscribe` callbacks (no polling). */
function waitForCount(subscribe, count, n, timeout = 120_000) {
  return new Promise((resolve, reject) => {
    if (count() >= n) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`only ${count()} of ${n} events after ${timeout} ms`));
    }, timeout);
    const unsubscribe = subscribe(() => {
      if (count() >= n) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
}

/** A bare CDP listener that keeps every notifications event: the baseline. */
async function fillRaw(browser, pagesUrl, count) {
  const { context, page } = await openBenchPage(browser);
  const session = await context.newCDPSession(page);
  const { targetInfo } = await session.send('Target.getTargetInfo');
  await session.send('Browser.grantPermissions', { permissions: ['notifications'], browserContextId: targetInfo.browserContextId });
  await page.goto(`${pagesUrl}/`);
  await page.evaluate(() => window.swReady);
  const events = [];
  const listeners = new Set();
  session.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => {
    events.push(backgroundServiceEvent);
    for (const listener of listeners) listener();
  });
  await session.send('BackgroundService.startObserving', { service: 'notifications' });
  await session.send('BackgroundService.setRecording', { service: 'notifications', shouldRecord: true });
  const heapBefore = gcNow();
  const cpuBefore = process.cpuUsage();
  const t0 = now();
  await burst(page, count);
  await waitForCount(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => events.length,
    count,
  );
  const fillMs = now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = gcNow();
  return { context, session, events, fillMs, cpuMs: (cpu.user + cpu.system) / 1000, bytesPerEvent: (heapAfter - heapBefore) / events.length };
}

/** The library's recording of the same burst; optionally with an assertion already waiting. */
async function fillOurs(browser, pagesUrl, count, { waitingMatcher = false, maxEvents } = {}) {
  const { context, page } = await openBenchPage(browser);
  const services = await createBackgroundServices(page, { timeout: 600_000, maxEvents });
  await page.goto(`${pagesUrl}/`);
  await page.evaluate(() => window.swReady);
  const recording = await services.record(['notifications']);
  const heapBefore = gcNow();
  const cpuBefore = process.cpuUsage();
  const t0 = now();
  let matcherDone;
  if (waitingMatcher) {
    const last = { service: 'notifications', metadata: { Title: `n ${count - 1}` } };
    matcherDone = expect(recording)
      .toHaveRecordedEvent(last, { timeout: 600_000 })
      .then(() => now());
  }
  const burstDone = burst(page, count).then(() => now());
  // Counted through the recording's own change notifications once the burst is over: reading
  // `events` copies the array, so checking it on every event would add work of our own.
  const burstEnd = await burstDone;
  await waitForCount(
    (l) => recording.subscribe(l),
    () => recording.events.length + recording.droppedEvents,
    count,
    600_000,
  );
  const filledAt = now();
  const matcherAt = matcherDone ? await matcherDone : undefined;
  const end = Math.max(filledAt, matcherAt ?? 0);
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = waitingMatcher ? undefined : gcNow();
  return {
    context,
    services,
    recording,
    fillMs: end - t0,
    burstMs: burstEnd - t0,
    matcherAtMs: matcherAt !== undefined ? matcherAt - t0 : undefined,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapGrowth: heapAfter !== undefined ? heapAfter - heapBefore : undefined,
    bytesPerEvent: heapAfter !== undefined ? (heapAfter - heapBefore) / (recording.events.length + recording.droppedEvents) : undefined,
  };
}

async function timeMany(runs, fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up (JIT)
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await fn();
    times.push(now() - t);
  }
  return summarize(times);
}

export async function runScale({ browser, pagesUrl, count = 10_000, largeCount = 100_000, runs = 50, log }) {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc (bench/run.mjs re-launches itself with it)');
  const results = [];

  // Baseline fill: a bare CDP listener.
  const raw = await fillRaw(browser, pagesUrl, count);
  log?.(
    `  raw CDP listener: ${raw.events.length} events in ${raw.fillMs.toFixed(0)} ms, ${raw.bytesPerEvent.toFixed(0)} B/event, Node CPU ${raw.cpuMs.toFixed(0)} ms`,
  );
  const lastTitle = `n ${count - 1}`;
  const rawLast = await timeMany(runs, () => {
    const index = raw.events.findIndex((e) => e.service === 'notifications' && e.eventMetadata.some((m) => m.key === 'Title' && m.value === lastTitle));
    if (index !== raw.events.length - 1) throw new Error(`raw search found ${index}`);
  });
  const rawNone = await timeMany(runs, () => {
    const index = raw.events.findIndex((e) => e.eventName === 'No such event');
    if (index !== -1) throw new Error('raw search matched');
  });
  const rawFill = { fillMs: raw.fillMs, cpuMs: raw.cpuMs, bytesPerEvent: raw.bytesPerEvent };
  await raw.session.detach();
  await raw.context.close();
  raw.events.length = 0;

  // The library's recording, nobody waiting.
  const ours = await fillOurs(browser, pagesUrl, count);
  const n = ours.recording.events.length;
  log?.(
    `  recording (nobody waiting): ${n} events in ${ours.fillMs.toFixed(0)} ms, ${ours.bytesPerEvent.toFixed(0)} B/event, Node CPU ${ours.cpuMs.toFixed(0)} ms`,
  );
  const oursLast = await timeMany(runs, () => expect(ours.recording).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: lastTitle } }));
  const oursNone = await timeMany(runs, () => expect(ours.recording).not.toHaveRecordedEvent({ eventName: { unlisted: 'No such event' } }));
  // The same two, on saved events (DevTools' "Save events" array): parsing included.
  const saved = ours.recording.toJSON();
  const savedLast = await timeMany(Math.min(runs, 20), () => expect(saved).toHaveRecordedEvent({ service: 'notifications', metadata: { Title: lastTitle } }));
  await ours.services.dispose();
  await ours.context.close();
  log?.(
    `  matcher over ${n}: last ${oursLast.median.toFixed(2)} ms (raw ${rawLast.median.toFixed(2)} ms), .not none ${oursNone.median.toFixed(2)} ms (raw ${rawNone.median.toFixed(2)} ms)`,
  );

  // The library's recording with an assertion for the last event already waiting.
  const waiting = await fillOurs(browser, pagesUrl, count, { waitingMatcher: true });
  log?.(
    `  recording (matcher waiting): filled in ${waiting.fillMs.toFixed(0)} ms (burst ${waiting.burstMs.toFixed(0)} ms), ` +
      `matcher resolved at ${waiting.matcherAtMs.toFixed(0)} ms, Node CPU ${waiting.cpuMs.toFixed(0)} ms`,
  );
  await waiting.services.dispose();
  await waiting.context.close();

  // Bounded: the same burst into a recording that keeps 1,000 events.
  const bounded = await fillOurs(browser, pagesUrl, count, { maxEvents: 1000 });
  log?.(
    `  recording with maxEvents 1000: kept ${bounded.recording.events.length}, dropped ${bounded.recording.droppedEvents}, heap +${(bounded.heapGrowth / 1024).toFixed(0)} KiB (unbounded +${(ours.heapGrowth / 1024).toFixed(0)} KiB)`,
  );
  await bounded.services.dispose();
  await bounded.context.close();

  // Linear growth: 10x the events, the same bytes per event (skipped with --quick).
  let large;
  if (largeCount) {
    large = await fillOurs(browser, pagesUrl, largeCount);
    log?.(`  recording of ${largeCount}: ${large.bytesPerEvent.toFixed(0)} B/event, filled in ${large.fillMs.toFixed(0)} ms`);
    await large.services.dispose();
    await large.context.close();
  }

  const goal5x = { ratio: 5, text: '≤ 5x' };
  results.push(
    {
      id: 'scale-matcher-last',
      title: `Matcher over ${n} events: toHaveRecordedEvent(only the last matches) (${runs} runs)`,
      unit: 'ms',
      ours: roundSummary(oursLast, 3),
      baseline: roundSummary(rawLast, 3),
      baselineLabel: 'hand-written findIndex over the raw protocol events',
      ratio: oursLast.median / rawLast.median,
      goal: goal5x,
      details: { savedEventsArray: roundSummary(savedLast, 3) },
    },
    {
      id: 'scale-matcher-not-none',
      title: `Matcher over ${n} events: .not.toHaveRecordedEvent(matches nothing) (${runs} runs)`,
      unit: 'ms',
      ours: roundSummary(oursNone, 3),
      baseline: roundSummary(rawNone, 3),
      baselineLabel: 'hand-written findIndex over the raw protocol events',
      ratio: oursNone.median / rawNone.median,
      goal: goal5x,
    },
    {
      id: 'scale-memory-per-event',
      title: `Memory per recorded event (${n} events, heap after gc)`,
      unit: 'B/event',
      ours: { n: 1, median: Math.round(ours.bytesPerEvent) },
      baseline: { n: 1, median: Math.round(rawFill.bytesPerEvent) },
      baselineLabel: 'bare CDP listener keeping the protocol events',
      ratio: ours.bytesPerEvent / rawFill.bytesPerEvent,
      goal: { ratio: 1.5, text: '≤ 1.5x' },
    },
    ...(large
      ? [
          {
            id: 'scale-memory-per-event-large',
            title: `Memory per recorded event at ${largeCount} events (linear growth)`,
            unit: 'B/event',
            ours: { n: 1, median: Math.round(large.bytesPerEvent) },
            baseline: { n: 1, median: Math.round(ours.bytesPerEvent) },
            baselineLabel: `the same at ${n} events`,
            ratio: large.bytesPerEvent / ours.bytesPerEvent,
            goal: { ratio: 1.1, text: '≤ 1.1x' },
          },
        ]
      : []),
    {
      id: 'scale-memory-bounded',
      title: `Heap growth of a recording with maxEvents 1000 over ${n} events`,
      unit: 'KiB',
      ours: { n: 1, median: Math.round(bounded.heapGrowth / 1024) },
      baseline: { n: 1, median: Math.round(ours.heapGrowth / 1024) },
      baselineLabel: 'the same recording without maxEvents',
      ratio: bounded.heapGrowth / ours.heapGrowth,
      goal: null,
      details: { kept: bounded.recording.events.length, dropped: bounded.recording.droppedEvents },
    },
    {
      id: 'scale-fill-with-waiting-matcher',
      title: `Filling ${n} events with a matcher waiting for the last one (Node CPU)`,
      unit: 'ms CPU',
      ours: { n: 1, median: Math.round(waiting.cpuMs) },
      baseline: { n: 1, median: Math.round(ours.cpuMs) },
      baselineLabel: 'the same fill, nobody waiting',
      ratio: waiting.cpuMs / ours.cpuMs,
      goal: null,
      details: {
        waiting: { fillMs: waiting.fillMs, burstMs: waiting.burstMs, matcherResolvedAtMs: waiting.matcherAtMs, cpuMs: waiting.cpuMs },
        nobodyWaiting: { fillMs: ours.fillMs, burstMs: ours.burstMs, cpuMs: ours.cpuMs },
        rawListener: rawFill,
      },
    },
  );
  return results;
}
