// 7. Remote browser server: what a browser reached over `connectOptions` (a `playwright
// run-server`, a grid, a cloud service) costs against a browser launched on this machine, as
// ratios measured in the same run (remote / local, samples interleaved, medians).
//
// The remote browser: chromium.connect(wsEndpoint, { exposeNetwork: '<loopback>', headers:
// { 'x-playwright-launch-options': JSON.stringify({ channel: 'chromium' }) } }), i.e. the server's
// full Chromium, reaching this machine's loopback (the demo app, the report collector, the probe's
// pages) through Playwright's SOCKS tunnel over the web socket. Not in the default set: it needs
// a server (--ws=ws://… or PW_TEST_CONNECT_WS_ENDPOINT); `node bench/run.mjs --only=remote`.
//
// a. Push-to-assertion latency: benchmark 2's library side (setUpOurs in latency.mjs:
//    t0 → services.triggerPush('x') → expect(recording).toHaveRecordedEvent({ eventName:
//    'Push event completed' }) → t1) on the remote browser and on the local one (the runner's
//    chromium.launch({ executablePath })), one context each on the demo app's /push/ page,
//    samples interleaved A B B A after warm-ups.
// b. Report delivery: per sample a fresh context (a context's first report is sent at once, so
//    Chromium's delivery timer plays no part), t0 = page.goto(collector.pageWithHeaders({ csp:
//    "script-src 'none'; report-to main" })), t1 = the collector's receivedAt (same clock). Three
//    variants, interleaved in a rotating order:
//      remote        ignoreHTTPSErrors: true (the collector's pin never reaches a run-server
//                    without --unsafe; uploads reuse the page's accepted connection)
//      local-ignore  the runner's local browser (no flags), ignoreHTTPSErrors: true: the fair pair
//      local-pinned  a local browser launched as the fixtures do: --ignore-certificate-errors-spki-list
//                    =<pin> --short-reporting-delay, no ignoreHTTPSErrors
// c. The capability probe's cost per worker: createSupportProbe(browser, {
//    collectorServer, shortReportingDelay: true, backForwardCache: false[, remote] }).all() on a
//    freshly launched/connected browser (what the fixtures' backgroundServicesSupport costs a
//    worker), on local full Chromium, local chrome-headless-shell (both launched with the
//    fixtures' flags) and the remote server (`remote` passed only there); kinds interleaved.
import { chromium } from '@playwright/test';
import { FEATURES, ReportCollectorServer, createSupportProbe } from '#internal';
import { setUpOurs } from './latency.mjs';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

const CSP = { csp: "script-src 'none'; report-to main" };
const EXPOSE = '<loopback>';
const FULL_CHROMIUM = '/usr/bin/chromium';
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

export function connectRemote(wsEndpoint) {
  return chromium.connect(wsEndpoint, {
    exposeNetwork: EXPOSE,
    headers: { 'x-playwright-launch-options': JSON.stringify({ channel: 'chromium' }) },
    timeout: 60_000,
  });
}

const fixtureArgs = (server) => [`--ignore-certificate-errors-spki-list=${server.spkiPin}`, '--short-reporting-delay'];

function pairRow(id, title, remote, local, localLabel, extra = {}) {
  const a = summarize(remote);
  const b = summarize(local);
  const paired = remote.length === local.length ? summarize(remote.map((t, i) => t / local[i])).median : undefined;
  return {
    id,
    title,
    unit: 'ms',
    oursLabel: 'remote',
    ours: roundSummary(a, 3),
    baseline: roundSummary(b, 3),
    baselineLabel: localLabel,
    ratio: a.median / b.median,
    goal: null,
    details: { medianPairedRatio: paired, ...extra, samples: { remote, local } },
  };
}

/** a. Push-to-assertion latency, remote / local. */
async function latency({ remoteBrowser, localBrowser, demoUrl, samples, warmup, log }) {
  const remote = await setUpOurs(remoteBrowser, demoUrl);
  const local = await setUpOurs(localBrowser, demoUrl);
  try {
    const sides = { remote, local };
    const times = { remote: [], local: [] };
    for (let i = 0; i < warmup; i++) {
      for (const side of [remote, local]) {
        await side.prepare();
        await side.sample();
      }
    }
    for (const side of [remote, local]) {
      side.breakdown.triggerPush.length = 0;
      side.breakdown.matcher.length = 0;
    }
    for (let i = 0; i < samples; i++) {
      const order = i % 2 ? ['local', 'remote'] : ['remote', 'local'];
      if (Math.floor(i / 2) % 2) order.reverse(); // A B B A …
      for (const name of order) {
        await sides[name].prepare();
        times[name].push(await sides[name].sample());
      }
    }
    const row = pairRow(
      'remote-push-latency',
      `Remote: push-to-assertion latency (triggerPush + toHaveRecordedEvent, ${samples} samples each, A/B interleaved)`,
      times.remote,
      times.local,
      'local chromium.launch()',
      {
        breakdown: Object.fromEntries(
          Object.entries(sides).map(([name, side]) => [
            name,
            { triggerPush: roundSummary(summarize(side.breakdown.triggerPush), 3), matcherAfterTrigger: roundSummary(summarize(side.breakdown.matcher), 3) },
          ]),
        ),
      },
    );
    log?.(
      `  latency, ${samples} samples each: remote median ${row.ours.median} ms, local ${row.baseline.median} ms: ${row.ratio.toFixed(3)}x (paired ${row.details.medianPairedRatio.toFixed(3)}x)`,
    );
    return row;
  } finally {
    await remote.close().catch(() => {});
    await local.close().catch(() => {});
  }
}

/** One report: a fresh context, the collector page, the collector's receivedAt - t0. */
async function reportSample(browser, server, contextOptions) {
  const context = await browser.newContext(contextOptions);
  const collector = server.createCollector();
  try {
    const page = await context.newPage();
    const url = collector.pageWithHeaders(CSP);
    const t0 = Date.now();
    await page.goto(url);
    const report = await collector.waitForReport({ type: 'csp-violation', url }, { timeout: 15_000 });
    return report.receivedAt - t0;
  } finally {
    collector.close();
    await context.close().catch(() => {});
  }
}

/** b. Report delivery, remote / local. */
async function reports({ remoteBrowser, localBrowser, executablePath, samples, log }) {
  const server = await ReportCollectorServer.start();
  const pinned = await chromium.launch({ executablePath, args: fixtureArgs(server) });
  try {
    const variants = {
      remote: () => reportSample(remoteBrowser, server, { ignoreHTTPSErrors: true }),
      localIgnore: () => reportSample(localBrowser, server, { ignoreHTTPSErrors: true }),
      localPinned: () => reportSample(pinned, server, {}),
    };
    const names = Object.keys(variants);
    const run = (name) =>
      variants[name]().catch((error) => {
        throw new Error(`report delivery, variant ${name}: ${error.message}`);
      });
    for (const name of names) await run(name); // warm-up
    const times = { remote: [], localIgnore: [], localPinned: [] };
    for (let i = 0; i < samples; i++) {
      const order = names.map((_, k) => names[(i + k) % names.length]);
      for (const name of order) times[name].push(await run(name));
    }
    const rows = [
      pairRow(
        'remote-report-delivery-vs-ignore',
        `Remote: report delivery, goto → collector received, fresh context (${samples} samples each, interleaved)`,
        times.remote,
        times.localIgnore,
        'local, ignoreHTTPSErrors, no pin (the fair pair)',
      ),
      pairRow(
        'remote-report-delivery-vs-pinned',
        `Remote: report delivery, the same remote samples against a local browser with the fixtures' flags (${samples} samples)`,
        times.remote,
        times.localPinned,
        'local, --ignore-certificate-errors-spki-list + --short-reporting-delay',
      ),
    ];
    log?.(
      `  report delivery, ${samples} samples each: remote ${rows[0].ours.median} ms, local ignoreHTTPSErrors ${rows[0].baseline.median} ms ` +
        `(${rows[0].ratio.toFixed(3)}x), local pinned ${rows[1].baseline.median} ms (${rows[1].ratio.toFixed(3)}x)`,
    );
    return rows;
  } finally {
    await pinned.close().catch(() => {});
    await server.close();
  }
}

/** c. The probe's cost per worker, on a fresh browser each time. */
async function probes({ wsEndpoint, samples, log }) {
  const server = await ReportCollectorServer.start();
  const base = { collectorServer: server, shortReportingDelay: true, backForwardCache: false };
  const kinds = {
    full: {
      label: `local full Chromium (${FULL_CHROMIUM})`,
      open: () => chromium.launch({ executablePath: FULL_CHROMIUM, args: fixtureArgs(server) }),
      options: base,
    },
    shell: {
      label: `local chrome-headless-shell (${HEADLESS_SHELL})`,
      open: () => chromium.launch({ executablePath: HEADLESS_SHELL, args: fixtureArgs(server) }),
      options: base,
    },
    remote: {
      label: 'remote server (channel chromium)',
      open: () => connectRemote(wsEndpoint),
      options: { ...base, remote: { wsEndpoint, exposeNetwork: EXPOSE } },
    },
  };
  const names = Object.keys(kinds);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const openTimes = Object.fromEntries(names.map((n) => [n, []]));
  const support = {};
  try {
    for (let i = 0; i < samples; i++) {
      const order = names.map((_, k) => names[(i + k) % names.length]);
      for (const name of order) {
        const kind = kinds[name];
        const t0 = now();
        const browser = await kind.open();
        const t1 = now();
        try {
          const probe = createSupportProbe(browser, kind.options);
          const all = await probe.all();
          const t2 = now();
          times[name].push(t2 - t1);
          openTimes[name].push(t1 - t0);
          if (!support[name]) {
            const setup = await probe.setup();
            support[name] = {
              browser: browser.version(),
              setup: { kind: setup.kind, launchFlags: setup.launchFlags, reachesRunner: setup.reachesRunner },
              supported: FEATURES.filter((f) => all[f]?.supported),
              unsupported: Object.fromEntries(FEATURES.filter((f) => !all[f]?.supported).map((f) => [f, all[f]?.reason])),
            };
          }
        } finally {
          await browser.close().catch(() => {});
        }
      }
    }
  } finally {
    await server.close();
  }
  const summary = (name) => roundSummary(summarize(times[name]), 0);
  const rows = ['full', 'shell'].map((local) =>
    pairRow(
      `remote-probe-vs-${local}`,
      `Remote: capability probe createSupportProbe().all() on a fresh browser, vs ${local === 'full' ? 'local full Chromium' : 'local headless shell'} (${samples} samples each, interleaved)`,
      times.remote,
      times[local],
      kinds[local].label,
      { openMs: Object.fromEntries(names.map((n) => [n, roundSummary(summarize(openTimes[n]), 0)])), support },
    ),
  );
  for (const row of rows) {
    row.ours = summary('remote');
    row.baseline = roundSummary(row.baseline, 0);
    delete row.details.medianPairedRatio; // the samples of two kinds are not pairs
  }
  log?.(
    `  probe .all(), ${samples} fresh browsers each: remote ${summary('remote').median} ms, full ${summary('full').median} ms, ` +
      `headless shell ${summary('shell').median} ms (launch/connect medians: ${names.map((n) => `${n} ${Math.round(summarize(openTimes[n]).median)} ms`).join(', ')})`,
  );
  for (const [name, s] of Object.entries(support)) {
    log?.(`    ${name}: ${s.browser}, setup ${JSON.stringify(s.setup)}; unsupported: ${Object.keys(s.unsupported).join(', ') || 'none'}`);
  }
  return rows;
}

/** Null rows: what was requested but not run, and why. */
export function skippedRemote(reason) {
  return {
    id: 'remote-skipped',
    title: `Remote browser server (not run: ${reason})`,
    unit: 'ms',
    ours: null,
    baseline: null,
    ratio: null,
    goal: null,
  };
}

export async function runRemote({ wsEndpoint, localBrowser, executablePath, demoUrl, samples = 30, warmup = 5, reportSamples = 8, probeSamples = 3, log }) {
  const remoteBrowser = await connectRemote(wsEndpoint);
  const results = [];
  try {
    log?.(
      `  remote: ${wsEndpoint} (exposeNetwork '${EXPOSE}', channel chromium), Chromium ${remoteBrowser.version()}; local: ${executablePath}, Chromium ${localBrowser.version()}`,
    );
    results.push(await latency({ remoteBrowser, localBrowser, demoUrl, samples, warmup, log }));
    results.push(...(await reports({ remoteBrowser, localBrowser, executablePath, samples: reportSamples, log })));
  } finally {
    await remoteBrowser.close().catch(() => {});
  }
  results.push(...(await probes({ wsEndpoint, samples: probeSamples, log })));
  return results;
}
