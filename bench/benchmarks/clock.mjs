// 10. The service worker clock's cost (issue 28), as a ratio against the same work without it.
//
// per context: one test's worth of work that does a push, from a new context to its close:
//   newContext → (ours: new ServiceWorkerClock(context), attach(), install()) → newPage →
//   createBackgroundServices → goto /push/ → the worker activated → triggerPush → Push event
//   completed → dispose, close. Baseline: the same without the clock.
// per worker start: in one context each (the clock installed on ours), the worker stopped
//   (ServiceWorker.stopAllWorkers, outside the timing), then t0 → triggerPush → Push event
//   completed → t1: Chromium starts the worker again, and ours pauses it to put the clock in.
// Samples alternate A B B A … to cancel drift.
import { expect } from 'expect';
import { createBackgroundServices } from 'playwright-background-services';
import { backgroundServiceMatchers } from 'playwright-background-services/matchers';
import { ServiceWorkerClock } from '#internal';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

expect.extend(backgroundServiceMatchers);

async function pushContext(browser, demoUrl, withClock) {
  const context = await browser.newContext();
  if (withClock) {
    const clock = new ServiceWorkerClock(context);
    await clock.attach();
    await clock.install({ time: '2030-01-01T00:00:00Z' });
  }
  const page = await context.newPage();
  const services = await createBackgroundServices(page, { timeout: 10_000 });
  const recording = await services.record(['pushMessaging']);
  await page.goto(`${demoUrl}/push/`);
  await page.locator('html[data-sw-state="activated"]').waitFor({ state: 'attached', timeout: 10_000 });
  return { context, page, services, recording };
}

async function push({ services, recording }) {
  await services.triggerPush('x');
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' });
}

function interleave(samples, run) {
  return (async () => {
    const times = { clock: [], bare: [] };
    for (let i = 0; i < samples; i++) {
      const order = i % 2 ? ['bare', 'clock'] : ['clock', 'bare'];
      for (const name of order) times[name].push(await run(name));
    }
    return times;
  })();
}

function row(id, title, times, goal) {
  const a = summarize(times.clock);
  const b = summarize(times.bare);
  return {
    id,
    title,
    unit: 'ms',
    ours: roundSummary(a, 3),
    baseline: roundSummary(b, 3),
    baselineLabel: 'the same without serviceWorkerClock',
    ratio: a.median / b.median,
    goal,
    details: { medianPairedRatio: summarize(times.clock.map((t, i) => t / times.bare[i])).median, samples: times },
  };
}

export async function runClock({ browser, demoUrl, samples = 15, log }) {
  // Warm up both paths once (the fake-timers bundle is read on first use).
  for (const withClock of [true, false]) {
    const side = await pushContext(browser, demoUrl, withClock);
    await push(side);
    await side.services.dispose();
    await side.context.close();
  }

  const perContext = await interleave(samples, async (name) => {
    const t0 = now();
    const side = await pushContext(browser, demoUrl, name === 'clock');
    await push(side);
    await side.services.dispose();
    await side.context.close();
    return now() - t0;
  });

  const sides = { clock: await pushContext(browser, demoUrl, true), bare: await pushContext(browser, demoUrl, false) };
  const sessions = {};
  for (const [name, side] of Object.entries(sides)) sessions[name] = await side.context.newCDPSession(side.page);
  let perStart;
  try {
    perStart = await interleave(samples, async (name) => {
      const side = sides[name];
      await sessions[name].send('ServiceWorker.enable');
      await sessions[name].send('ServiceWorker.stopAllWorkers');
      await side.recording.clear();
      const t0 = now();
      await push(side);
      return now() - t0;
    });
  } finally {
    for (const side of Object.values(sides)) {
      await side.services.dispose();
      await side.context.close();
    }
  }
  const rows = [
    row('clock-per-context', `A test that pushes, new context to close, with serviceWorkerClock installed (${samples} samples each, interleaved)`, perContext, {
      op: '<=',
      ratio: 1.1,
      text: '≤ 1.1x',
    }),
    row(
      'clock-per-worker-start',
      `A push to a stopped worker (Chromium starts it), with serviceWorkerClock installed (${samples} samples each, interleaved)`,
      perStart,
      {
        op: '<=',
        ratio: 1.1,
        text: '≤ 1.1x',
      },
    ),
  ];
  for (const r of rows) log?.(`  ${r.id}: clock median ${r.ours.median} ms, without ${r.baseline.median} ms, ratio ${r.ratio.toFixed(3)}x`);
  return rows;
}
