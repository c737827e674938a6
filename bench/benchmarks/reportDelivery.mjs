// 4. Report delivery: from the violation to the library knowing the report was delivered.
//
// Per sample: a new context and page, createBackgroundServices(page) + reportingApi() (what the
// `reportingApi` fixture does) and a fresh collector from the fixtures' collector server. t0 = the
// navigation to collector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }) (its
// inline script is the violation). ours = when watcher.awaitReport({ type: 'csp-violation',
// url, status: 'Success' }) resolves (started before the navigation, so it is the library's own
// latency, not the navigation's); baseline = when the collector received the batch
// (reports[i].receivedAt). Both on the same clock (Date.now() in this process).
//
// Each sample causes two reports, one after the other in the same context, because Chromium
// treats them differently: its delivery agent sends a report at once when its timer is idle,
// then starts the timer, and everything queued while the timer runs waits for it: 100 ms with
// --short-reporting-delay (the fixtures' default), 60 s without. So the *first* report of a
// context is never batched; the second one, made right after, shows the batching interval.
// Without the flag that is ~60 s per sample, so that variant runs a few samples in parallel
// contexts (each context has its own network context, reporting service and delivery timer).
import { chromium } from '@playwright/test';
import { createBackgroundServices } from 'playwright-background-services';
import { ReportCollectorServer } from '#internal';
import { roundSummary, summarize } from '../lib/stats.mjs';

const CSP = { csp: "script-src 'none'; report-to main" };

async function violation(page, watcher, collector, timeout) {
  const url = collector.pageWithHeaders(CSP);
  const t0 = Date.now();
  const delivered = watcher.awaitReport({ type: 'csp-violation', url, status: 'Success' }, { timeout }).then(() => Date.now());
  await page.goto(url);
  const oursAt = await delivered;
  const received = await collector.waitForReport({ type: 'csp-violation', url }, { timeout: 1000 });
  return { ours: oursAt - t0, collector: received.receivedAt - t0 };
}

async function sample(browser, server, timeout) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const services = await createBackgroundServices(page, { timeout });
  const watcher = await services.reportingApi();
  const collector = server.createCollector();
  try {
    const first = await violation(page, watcher, collector, timeout);
    const second = await violation(page, watcher, collector, timeout);
    return { first, second };
  } finally {
    collector.close();
    await services.dispose();
    await context.close();
  }
}

function result(id, title, samples, note) {
  const ours = summarize(samples.map((s) => s.ours));
  const collector = summarize(samples.map((s) => s.collector));
  return {
    id,
    title,
    unit: 'ms',
    ours: roundSummary(ours, 1),
    baseline: roundSummary(collector, 1),
    baselineLabel: 'collector received it',
    ratio: ours.median / collector.median,
    goal: null,
    details: {
      oursAfterCollectorMs: roundSummary(summarize(samples.map((s) => s.ours - s.collector)), 1),
      samples,
      ...(note ? { note } : {}),
    },
  };
}

async function launch(executablePath, server, shortDelay) {
  return chromium.launch({
    executablePath,
    args: [`--ignore-certificate-errors-spki-list=${server.spkiPin}`, ...(shortDelay ? ['--short-reporting-delay'] : [])],
  });
}

export async function runReportDelivery({ executablePath, samples = 15, slowSamples = 3, slow = true, log }) {
  const server = await ReportCollectorServer.start();
  const results = [];
  try {
    const browser = await launch(executablePath, server, true);
    try {
      await sample(browser, server, 10_000); // warm-up
      const list = [];
      for (let i = 0; i < samples; i++) list.push(await sample(browser, server, 10_000));
      const first = result(
        'report-delivery-short-first',
        `Report delivery, --short-reporting-delay: first report (${samples} samples)`,
        list.map((s) => s.first),
      );
      const second = result(
        'report-delivery-short-second',
        `Report delivery, --short-reporting-delay: next report, same context (${samples} samples)`,
        list.map((s) => s.second),
      );
      log?.(
        `  short delay: first report: ours ${first.ours.median} ms, collector ${first.baseline.median} ms; next report: ours ${second.ours.median} ms, collector ${second.baseline.median} ms`,
      );
      results.push(first, second);
    } finally {
      await browser.close();
    }
    if (slow) {
      const browser = await launch(executablePath, server, false);
      try {
        log?.(`  without --short-reporting-delay: ${slowSamples} samples in parallel contexts (about a minute)…`);
        const list = await Promise.all(Array.from({ length: slowSamples }, () => sample(browser, server, 180_000)));
        const note = 'samples run in parallel browser contexts';
        const first = result(
          'report-delivery-default-first',
          `Report delivery, default delay: first report (${slowSamples} samples)`,
          list.map((s) => s.first),
          note,
        );
        const second = result(
          'report-delivery-default-second',
          `Report delivery, default delay: next report, same context (${slowSamples} samples)`,
          list.map((s) => s.second),
          note,
        );
        log?.(
          `  default delay: first report: ours ${first.ours.median} ms, collector ${first.baseline.median} ms; next report: ours ${second.ours.median} ms, collector ${second.baseline.median} ms`,
        );
        results.push(first, second);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

/**
 * MarkedForRemoval, the natural way: an endpoint that answers 500 until Chromium's report
 * garbage collection (every 5 minutes) gives up on the report. ours = the library's
 * awaitReport({ status: 'MarkedForRemoval' }); baseline = a bare CDP listener on the same page
 * (Network.enableReportingApi, reportingApiReportUpdated). One sample: it takes 5 minutes.
 */
export async function runMarkedForRemoval({ executablePath, log }) {
  const server = await ReportCollectorServer.start();
  const browser = await launch(executablePath, server, true);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const services = await createBackgroundServices(page, { timeout: 420_000 });
    const watcher = await services.reportingApi();
    const raw = await context.newCDPSession(page);
    await raw.send('Network.enableReportingApi', { enable: true });
    const collector = server.createCollector();
    collector.respondWith({ kind: 'status', status: 500 });
    const url = collector.pageWithHeaders(CSP);
    const t0 = Date.now();
    const rawAt = new Promise((resolve) => {
      raw.on('Network.reportingApiReportUpdated', ({ report }) => {
        if (report.status === 'MarkedForRemoval') resolve(Date.now());
      });
    });
    const oursAt = watcher.awaitReport({ type: 'csp-violation', status: 'MarkedForRemoval' }, { timeout: 420_000 }).then(() => Date.now());
    await page.goto(url);
    const [ours, baseline] = await Promise.all([oursAt, rawAt]);
    log?.(`  MarkedForRemoval after ${((ours - t0) / 1000).toFixed(1)} s (bare listener ${((baseline - t0) / 1000).toFixed(1)} s)`);
    collector.close();
    await services.dispose();
    await context.close();
    return {
      id: 'report-marked-for-removal',
      title: 'MarkedForRemoval: a report to an endpoint that answers 500 (1 sample; Chromium garbage-collects every 5 min)',
      unit: 's',
      ours: { n: 1, median: Math.round((ours - t0) / 100) / 10 },
      baseline: { n: 1, median: Math.round((baseline - t0) / 100) / 10 },
      baselineLabel: 'a bare CDP listener on the same page',
      ratio: (ours - t0) / (baseline - t0),
      goal: null,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
