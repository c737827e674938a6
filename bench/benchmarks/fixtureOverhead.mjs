// 1. Fixture overhead: what the background-services fixture adds to every test.
//
// One "test" is what Playwright's runner does around a spec body: a new context and page, a
// navigation to the demo app's /push/ page, and the context's close. "ours" adds what the
// fixtures add: createBackgroundServices(page) (CDP session + Browser.grantPermissions),
// record(['pushMessaging']) (startObserving + setRecording) and dispose({ contextClosing: true }), as the
// fixture's teardown calls it. The bare variant
// has none of it. In each round the N tests of each variant are interleaved one by one
// (A B B A A B …) to cancel drift; a round's figure per variant is the sum of its N tests, and
// the ratio is the median round of ours over the median round of bare.
//
// A third variant ("raw replica") repeats the library's CDP calls by hand with a timer
// around each, to tell which part of the overhead dominates. It is not part of the ratio and
// runs in the first `replicaRounds` rounds only.
import { createBackgroundServices } from 'playwright-background-services';
import { BACKGROUND_SERVICE_PERMISSIONS } from '#internal';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

async function bareTest(browser, pushUrl, phases) {
  let t = now();
  const context = await browser.newContext();
  const page = await context.newPage();
  phases.open.push(now() - t);
  t = now();
  await page.goto(pushUrl);
  phases.goto.push(now() - t);
  t = now();
  await context.close();
  phases.close.push(now() - t);
}

async function oursTest(browser, pushUrl, phases) {
  let t = now();
  const context = await browser.newContext();
  const page = await context.newPage();
  phases.open.push(now() - t);
  t = now();
  // What the `backgroundServices` fixture does (grantPermissions defaults to true).
  const services = await createBackgroundServices(page, { timeout: 5000 });
  phases.create.push(now() - t);
  t = now();
  // What `recordBackgroundService(['pushMessaging'])` does.
  await services.record(['pushMessaging']);
  phases.record.push(now() - t);
  t = now();
  await page.goto(pushUrl);
  phases.goto.push(now() - t);
  t = now();
  // What the fixture's teardown does: Playwright closes the test's context right after.
  await services.dispose({ contextClosing: true });
  phases.dispose.push(now() - t);
  t = now();
  await context.close();
  phases.close.push(now() - t);
}

/** The same CDP traffic as oursTest, by hand, each call timed on its own. */
async function rawReplicaTest(browser, pushUrl, phases) {
  const step = async (name, fn) => {
    const t = now();
    const result = await fn();
    (phases[name] ??= []).push(now() - t);
    return result;
  };
  const { context, page } = await step('open', async () => {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  });
  const session = await step('newCDPSession', () => context.newCDPSession(page));
  const { targetInfo } = await step('Target.getTargetInfo', () => session.send('Target.getTargetInfo'));
  await step('Browser.grantPermissions', () =>
    session.send('Browser.grantPermissions', { permissions: [...BACKGROUND_SERVICE_PERMISSIONS], browserContextId: targetInfo.browserContextId }),
  );
  await step('BackgroundService.startObserving', () => session.send('BackgroundService.startObserving', { service: 'pushMessaging' }));
  await step('BackgroundService.setRecording', () => session.send('BackgroundService.setRecording', { service: 'pushMessaging', shouldRecord: true }));
  await step('goto', () => page.goto(pushUrl));
  await step('teardown: setRecording false', () => session.send('BackgroundService.setRecording', { service: 'pushMessaging', shouldRecord: false }));
  await step('teardown: stopObserving', () => session.send('BackgroundService.stopObserving', { service: 'pushMessaging' }));
  await step('teardown: detach', () => session.detach());
  await step('close', () => context.close());
}

export async function runFixtureOverhead({ browser, demoUrl, tests = 20, rounds = 5, replicaRounds = 2, log }) {
  const pushUrl = `${demoUrl}/push/`;
  const variants = {
    bare: { fn: bareTest, rounds: [], tests: [], phases: { open: [], goto: [], close: [] } },
    ours: { fn: oursTest, rounds: [], tests: [], phases: { open: [], create: [], record: [], goto: [], dispose: [], close: [] } },
    rawReplica: { fn: rawReplicaTest, rounds: [], tests: [], phases: {} },
  };
  // Warm-up: the first contexts and the demo app's first responses are slower.
  for (const variant of Object.values(variants)) {
    for (let i = 0; i < 3; i++) await variant.fn(browser, pushUrl, structuredClone(variant.phases));
  }
  const names = ['bare', 'ours', 'rawReplica'];
  for (let round = 0; round < rounds; round++) {
    const totals = { bare: 0, ours: 0, rawReplica: 0 };
    // The raw replica only serves the breakdown: a few rounds are enough, and keep the run short.
    const active = round < replicaRounds ? names : names.filter((name) => name !== 'rawReplica');
    for (let i = 0; i < tests; i++) {
      // Rotate the order every test so that no variant always runs right after another.
      const order = active.map((_, k) => active[(k + i + round) % active.length]);
      if ((i + round) % 2) order.reverse();
      for (const name of order) {
        const start = now();
        await variants[name].fn(browser, pushUrl, variants[name].phases);
        const took = now() - start;
        totals[name] += took;
        variants[name].tests.push(took);
      }
    }
    for (const name of active) variants[name].rounds.push(totals[name]);
    log?.(
      `  round ${round + 1}/${rounds}: ${tests} tests: bare ${totals.bare.toFixed(0)} ms, ours ${totals.ours.toFixed(0)} ms (x${(totals.ours / totals.bare).toFixed(3)})`,
    );
  }
  const bare = summarize(variants.bare.rounds);
  const ours = summarize(variants.ours.rounds);
  // Less sensitive to a busy machine: each ours test against the bare test next to it.
  const pairedRatios = variants.ours.tests.map((t, i) => t / variants.bare.tests[i]);
  const phaseSummary = (phases) => Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, roundSummary(summarize(v))]));
  return {
    id: 'fixture-overhead',
    title: `Fixture overhead (${tests} tests/round, ${rounds} rounds)`,
    unit: 'ms/round',
    ours: roundSummary(ours),
    baseline: roundSummary(bare),
    ratio: ours.median / bare.median,
    goal: { op: '<=', ratio: 1.05, text: '≤ 1.05x' },
    details: {
      perTestMedianMs: { ours: ours.median / tests, bare: bare.median / tests, overhead: (ours.median - bare.median) / tests },
      medianPairedRatio: summarize(pairedRatios).median,
      perTestMs: { ours: roundSummary(summarize(variants.ours.tests)), bare: roundSummary(summarize(variants.bare.tests)) },
      phases: { bare: phaseSummary(variants.bare.phases), ours: phaseSummary(variants.ours.phases), rawReplica: phaseSummary(variants.rawReplica.phases) },
      rawReplicaRounds: roundSummary(summarize(variants.rawReplica.rounds)),
      samples: { bare: variants.bare.rounds, ours: variants.ours.rounds },
    },
  };
}

/**
 * The fixture's fixed cost alone, without the noise of contexts and navigations: on one page at
 * /push/, `iterations` times create + record(['pushMessaging']) + dispose, against the same CDP
 * calls written by hand (new session, Target.getTargetInfo, Browser.grantPermissions,
 * startObserving, setRecording on; setRecording off, stopObserving, detach), interleaved.
 */
export async function runFixedCost({ browser, demoUrl, iterations = 100, log }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demoUrl}/push/`);
  const ours = async () => {
    const services = await createBackgroundServices(page, { timeout: 5000 });
    await services.record(['pushMessaging']);
    await services.dispose();
  };
  const raw = async () => {
    const session = await context.newCDPSession(page);
    const { targetInfo } = await session.send('Target.getTargetInfo');
    await session.send('Browser.grantPermissions', { permissions: [...BACKGROUND_SERVICE_PERMISSIONS], browserContextId: targetInfo.browserContextId });
    await session.send('BackgroundService.startObserving', { service: 'pushMessaging' });
    await session.send('BackgroundService.setRecording', { service: 'pushMessaging', shouldRecord: true });
    await session.send('BackgroundService.setRecording', { service: 'pushMessaging', shouldRecord: false });
    await session.send('BackgroundService.stopObserving', { service: 'pushMessaging' });
    await session.detach();
  };
  const times = { ours: [], raw: [] };
  try {
    for (let i = 0; i < 10; i++) {
      await ours();
      await raw();
    }
    for (let i = 0; i < iterations; i++) {
      const order =
        (i >> 1) % 2
          ? [
              ['raw', raw],
              ['ours', ours],
            ]
          : [
              ['ours', ours],
              ['raw', raw],
            ];
      for (const [name, fn] of order) {
        const t = now();
        await fn();
        times[name].push(now() - t);
      }
    }
  } finally {
    await context.close();
  }
  const a = summarize(times.ours);
  const b = summarize(times.raw);
  log?.(`  set-up + teardown alone (${iterations}x on one page): ours ${a.median.toFixed(2)} ms, same CDP calls by hand ${b.median.toFixed(2)} ms`);
  return {
    id: 'fixture-fixed-cost',
    title: `Fixture set-up + teardown alone (create, record, dispose; ${iterations}x on one page)`,
    unit: 'ms',
    ours: roundSummary(a, 3),
    baseline: roundSummary(b, 3),
    baselineLabel: 'the same CDP calls by hand',
    ratio: a.median / b.median,
    goal: null,
    details: { medianPairedRatio: summarize(times.ours.map((t, i) => t / times.raw[i])).median },
  };
}
