// 2. Event-to-assertion latency: from asking for a push to the assertion that it completed.
//
// ours:     t0 → await services.triggerPush('x') → await expect(recording).toHaveRecordedEvent(
//           { eventName: 'Push event completed' }) → t1   (standalone `expect` + the library's matchers)
// baseline: a hand-written CDP session on its own page: BackgroundService.startObserving +
//           setRecording(pushMessaging), ServiceWorker.enable for the registration id, then
//           t0 → ServiceWorker.deliverPushMessage → the 'Push event completed'
//           BackgroundService.backgroundServiceEventReceived (and the command's answer) → t1.
//
// Each variant has its own browser context (its own storage partition, so neither sees the
// other's events) on the demo app's /push/ page; samples alternate A B B A … to cancel drift.
// Between samples, outside the timing, the recording is cleared, so every assertion waits for
// the push of its own sample and not for an earlier one.
import { expect } from 'expect';
import { createBackgroundServices } from 'playwright-background-services';
import { backgroundServiceMatchers } from 'playwright-background-services/matchers';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

expect.extend(backgroundServiceMatchers);

async function openPushPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

async function waitActivated(page) {
  await page.locator('html[data-sw-state="activated"]').waitFor({ state: 'attached', timeout: 10_000 });
}

/** The library's side: one controller and one recording for the whole run, as in one test. */
export async function setUpOurs(browser, demoUrl) {
  const { context, page } = await openPushPage(browser);
  const services = await createBackgroundServices(page, { timeout: 10_000 });
  const recording = await services.record(['pushMessaging']);
  await page.goto(`${demoUrl}/push/`);
  await waitActivated(page);
  return {
    context,
    breakdown: { triggerPush: [], matcher: [] },
    async prepare() {
      await recording.clear();
    },
    async sample() {
      const t0 = now();
      await services.triggerPush('x');
      const t1 = now();
      await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed' });
      const t2 = now();
      this.breakdown.triggerPush.push(t1 - t0);
      this.breakdown.matcher.push(t2 - t1);
      return t2 - t0;
    },
    async close() {
      await services.dispose();
      await context.close();
    },
  };
}

/** The hand-written CDP side. */
async function setUpRaw(browser, demoUrl) {
  const { context, page } = await openPushPage(browser);
  await page.goto(`${demoUrl}/push/`);
  await waitActivated(page);
  const session = await context.newCDPSession(page);
  const { targetInfo } = await session.send('Target.getTargetInfo');
  await session.send('Browser.grantPermissions', { permissions: ['notifications'], browserContextId: targetInfo.browserContextId });
  await session.send('BackgroundService.startObserving', { service: 'pushMessaging' });
  await session.send('BackgroundService.setRecording', { service: 'pushMessaging', shouldRecord: true });
  // ServiceWorker.enable: the registration id of the /push/ scope, once its version is activated.
  const origin = new URL(demoUrl).origin;
  const scope = `${origin}/push/`;
  const registrations = new Map();
  const activated = new Set();
  const registrationId = await new Promise((resolve) => {
    const check = () => {
      for (const [id, scopeURL] of registrations) if (scopeURL === scope && activated.has(id)) return resolve(id);
    };
    session.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: list }) => {
      for (const r of list) if (!r.isDeleted) registrations.set(r.registrationId, r.scopeURL);
      check();
    });
    session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) if (v.status === 'activated') activated.add(v.registrationId);
      check();
    });
    session.send('ServiceWorker.enable');
  });
  let waiter;
  session.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: event }) => {
    if (event.eventName === 'Push event completed' && event.serviceWorkerRegistrationId === registrationId) waiter?.();
  });
  return {
    context,
    async prepare() {},
    async sample() {
      const completed = new Promise((resolve) => (waiter = resolve));
      const t0 = now();
      await Promise.all([session.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: 'x' }), completed]);
      const t1 = now();
      waiter = undefined;
      return t1 - t0;
    },
    async close() {
      await session.detach().catch(() => {});
      await context.close();
    },
  };
}

export async function runLatency({ browser, demoUrl, samples = 300, warmup = 20, log }) {
  const ours = await setUpOurs(browser, demoUrl);
  const raw = await setUpRaw(browser, demoUrl);
  try {
    const times = { ours: [], raw: [] };
    const sides = { ours, raw };
    for (let i = 0; i < warmup; i++) {
      for (const side of [ours, raw]) {
        await side.prepare();
        await side.sample();
      }
    }
    ours.breakdown.triggerPush.length = 0;
    ours.breakdown.matcher.length = 0;
    for (let i = 0; i < samples; i++) {
      const order = i % 2 ? ['raw', 'ours'] : ['ours', 'raw'];
      if (Math.floor(i / 2) % 2) order.reverse(); // A B B A A B B A …
      for (const name of order) {
        await sides[name].prepare();
        times[name].push(await sides[name].sample());
      }
    }
    const a = summarize(times.ours);
    const b = summarize(times.raw);
    log?.(`  ${samples} samples each: ours median ${a.median.toFixed(2)} ms, raw CDP median ${b.median.toFixed(2)} ms`);
    return {
      id: 'event-to-assertion-latency',
      title: `Event-to-assertion latency (push, ${samples} samples each, A/B interleaved)`,
      unit: 'ms',
      ours: roundSummary(a, 3),
      baseline: roundSummary(b, 3),
      ratio: a.median / b.median,
      goal: { op: '<=', ratio: 1.2, text: '≤ 1.2x' },
      details: {
        // Less sensitive to a busy machine than the ratio of medians.
        ratioOfP10: a.p10 / b.p10,
        medianPairedRatio: summarize(times.ours.map((t, i) => t / times.raw[i])).median,
        breakdown: {
          triggerPush: roundSummary(summarize(ours.breakdown.triggerPush), 3),
          matcherAfterTrigger: roundSummary(summarize(ours.breakdown.matcher), 3),
        },
        samples: { ours: times.ours, raw: times.raw },
      },
    };
  } finally {
    await ours.close();
    await raw.close();
  }
}
