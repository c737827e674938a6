#!/usr/bin/env node
// Runs every benchmark of playwright-background-services and prints one markdown table.
//
//   node bench/run.mjs            everything (about 4 minutes, plus ~1 minute for the
//                                 report delivery without --short-reporting-delay)
//   node bench/run.mjs --quick    skips the variant without --short-reporting-delay
//   node bench/run.mjs --only=fixture,latency,scale,report   a subset (also bfcache, install, whole, fcm, clock)
//   node bench/run.mjs --only=remote --ws=ws://host:port/   the remote browser server (not in the
//                                 default set: it needs a server; or PW_TEST_CONNECT_WS_ENDPOINT)
//
// Other knobs: --tests=20 --rounds=5 --iterations=100 (fixture overhead), --samples=300 (latency), --fcm-samples=100 (fcm),
// --events=10000 --runs=50 (scale), --report-samples=15 --slow-samples=3 (report delivery),
// --remote-samples=30 --remote-report-samples=8 --probe-samples=3 (remote), --whole-runs=3 (whole
// `playwright test` runs, the one benchmark that is not run through the library API), --out=bench/results.json
// (bench/results-remote.json for --only=remote alone).
//
// It drives Chromium through Playwright's library API (not the test runner: no benchmark is a
// test; "whole" times whole `playwright test` processes of specs it writes) and imports the built library from dist/ (npm run build). Results also go to
// bench/results.json.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function parseArgs(argv) {
  const options = { quick: false, markedForRemoval: false, only: null, out: null, ws: process.env.PW_TEST_CONNECT_WS_ENDPOINT || null };
  for (const arg of argv) {
    const stripped = arg.replace(/^--/, '');
    const eq = stripped.indexOf('=');
    const [key, value] = eq < 0 ? [stripped, undefined] : [stripped.slice(0, eq), stripped.slice(eq + 1)];
    if (key === 'quick') options.quick = true;
    else if (key === 'marked-for-removal') options.markedForRemoval = true;
    else if (key === 'only') options.only = new Set(value.split(','));
    else if (key === 'out') options.out = path.resolve(value);
    else if (key === 'ws') options.ws = value;
    else if (
      [
        'tests',
        'rounds',
        'iterations',
        'samples',
        'events',
        'large-events',
        'runs',
        'report-samples',
        'slow-samples',
        'bfcache-samples',
        'remote-samples',
        'remote-report-samples',
        'probe-samples',
        'whole-runs',
        'fcm-samples',
        'clock-samples',
      ].includes(key)
    ) {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new Error(`--${key} needs a positive integer, got ${value}`);
      options[key] = number;
    } else if (key === 'help' || key === 'h') {
      console.log(
        'node bench/run.mjs [--quick] [--marked-for-removal] [--only=fixture,latency,scale,report,bfcache,install,whole,fcm,clock,remote] [--ws=ws://host:port/] [--tests=N --rounds=N --iterations=N --samples=N --events=N --runs=N --report-samples=N --slow-samples=N --remote-samples=N --remote-report-samples=N --probe-samples=N --whole-runs=N --fcm-samples=N --clock-samples=N] [--out=path]',
      );
      process.exit(0);
    } else {
      throw new Error(`Unknown option ${arg} (try --help)`);
    }
  }
  const remoteOnly = options.only?.size === 1 && options.only.has('remote');
  options.out ??= path.join(here, remoteOnly ? 'results-remote.json' : 'results.json');
  return options;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function gitState() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { head: git('rev-parse', '--short', 'HEAD'), srcChanges: git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length };
  } catch {
    return undefined;
  }
}

function checkBuild() {
  const dist = path.join(root, 'dist', 'index.js');
  if (!existsSync(dist)) {
    console.error('dist/index.js is missing: run `npm run build` first.');
    process.exit(2);
  }
  const src = path.join(root, 'src');
  if (existsSync(src) && newestMtime(src) > statSync(dist).mtimeMs) {
    console.log('Note: src/ has files newer than dist/: these figures are for the last build (`npm run build` measures the current source).\n');
    return false;
  }
  return true;
}

const fmt = (value, digits) => {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toFixed(d);
};

function cell(summary, unit) {
  if (!summary) return '—';
  if (summary.n <= 1 || summary.min === undefined) return `${fmt(summary.median)} ${unit}`;
  return `${fmt(summary.median)} ${unit} (min ${fmt(summary.min)}, p90 ${fmt(summary.p90)}, max ${fmt(summary.max)})`;
}

function verdict(result) {
  const goal = result.goal;
  if (!goal) return { goal: '— (info)', result: 'info' };
  if (goal.ratio !== undefined) return { goal: goal.text, result: result.ratio <= goal.ratio ? 'PASS' : 'FAIL' };
  if (goal.ms !== undefined) return { goal: goal.text, result: result.ours.median < goal.ms ? 'PASS' : 'FAIL' };
  if (goal.works !== undefined) return { goal: goal.text, result: goal.works ? 'PASS' : 'FAIL' };
  return { goal: goal.text, result: '?' };
}

function table(results) {
  const rows = ['| Benchmark | Ours (median) | Baseline (median) | Ratio | Goal | Result |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of results) {
    const v = verdict(r);
    r.verdict = v.result;
    const ours = `${cell(r.ours, r.unit)}${r.oursLabel ? ` — ${r.oursLabel}` : ''}`;
    const baseline = `${cell(r.baseline, r.unit)}${r.baselineLabel ? ` — ${r.baselineLabel}` : ''}`;
    rows.push(`| ${r.title} | ${ours} | ${baseline} | ${r.ratio === null || r.ratio === undefined ? '—' : `${fmt(r.ratio, 3)}x`} | ${v.goal} | ${v.result} |`);
  }
  return rows.join('\n');
}

function phasesTable(phases) {
  const lines = ['| Phase | bare | ours | raw replica |', '| --- | --- | --- | --- |'];
  const names = [...new Set([...Object.keys(phases.bare), ...Object.keys(phases.ours), ...Object.keys(phases.rawReplica)])];
  for (const name of names) {
    const c = (p) => (p[name] ? `${fmt(p[name].median)} (p90 ${fmt(p[name].p90)})` : '');
    lines.push(`| ${name} | ${c(phases.bare)} | ${c(phases.ours)} | ${c(phases.rawReplica)} |`);
  }
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const distUpToDate = checkBuild();
  // remote is not in the default set: it needs a browser server.
  const want = (name) => (name === 'remote' ? !!options.only?.has('remote') : !options.only || options.only.has(name));
  const log = (line) => console.log(line);

  const { chromium } = await import('@playwright/test');
  const { resolveChromiumExecutable } = await import('#internal');
  const { startDemoServer } = await import('../fixtures/server.mjs');
  const { startPageServer } = await import('./lib/pageServer.mjs');
  const { runFixtureOverhead, runFixedCost } = await import('./benchmarks/fixtureOverhead.mjs');
  const { runLatency } = await import('./benchmarks/latency.mjs');
  const { runScale } = await import('./benchmarks/scale.mjs');
  const { runReportDelivery } = await import('./benchmarks/reportDelivery.mjs');
  const { runBackForwardCache } = await import('./benchmarks/bfcache.mjs');
  const { runInstall, ciRows } = await import('./benchmarks/install.mjs');
  const { runMarkedForRemoval } = await import('./benchmarks/reportDelivery.mjs');
  const { runRemote, skippedRemote } = await import('./benchmarks/remote.mjs');
  const { runWholeRun } = await import('./benchmarks/wholeRun.mjs');
  const { runFcm } = await import('./benchmarks/fcm.mjs');
  const { runClock } = await import('./benchmarks/clock.mjs');

  const require = createRequire(import.meta.url);
  // Undefined when Playwright's own Chromium is installed: then its full binary, never the
  // headless shell that a bare chromium.launch() would pick for a headless run.
  const executablePath = resolveChromiumExecutable({ playwrightExecutablePath: chromium.executablePath() }) ?? chromium.executablePath();
  const started = Date.now();
  const browser = await chromium.launch({ executablePath });
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: browser.version(),
    chromiumExecutable: executablePath ?? chromium.executablePath(),
    playwright: require('@playwright/test/package.json').version,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
  console.log(`# playwright-background-services benchmarks\n`);
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`);
  console.log(`Node ${machine.node}, Chromium ${machine.chromium}, Playwright ${machine.playwright}`);
  console.log(`Load average at start: ${machine.loadAverageAtStart.join(', ')}`);
  if (machine.loadAverageAtStart[0] > machine.cores) {
    console.log(`Warning: the machine is busy (load ${machine.loadAverageAtStart[0]} on ${machine.cores} cores): expect noisier figures.`);
  }
  console.log('');

  const results = [];
  const loads = {};
  const step = async (name, title, fn) => {
    if (!want(name)) return;
    console.log(`## ${title}`);
    const t = Date.now();
    const before = os.loadavg()[0];
    const out = await fn();
    results.push(...(Array.isArray(out) ? out : [out]));
    loads[name] = { before: Math.round(before * 100) / 100, after: Math.round(os.loadavg()[0] * 100) / 100, seconds: Math.round((Date.now() - t) / 100) / 10 };
    console.log(`  (${loads[name].seconds} s, load ${loads[name].before} → ${loads[name].after})\n`);
  };

  const demo = await startDemoServer({ port: 0 });
  const pages = await startPageServer();
  try {
    await step('fixture', '1. Fixture overhead', async () => [
      await runFixtureOverhead({ browser, demoUrl: demo.url, tests: options.tests ?? 20, rounds: options.rounds ?? 5, log }),
      await runFixedCost({ browser, demoUrl: demo.url, iterations: options.iterations ?? 100, log }),
    ]);
    await step('latency', '2. Event-to-assertion latency', () => runLatency({ browser, demoUrl: demo.url, samples: options.samples ?? 300, log }));
    await step('fcm', '9. FCM send → Push event completed', () => runFcm({ browser, demoUrl: demo.url, samples: options['fcm-samples'] ?? 100, log }));
    await step('clock', '10. serviceWorkerClock', () => runClock({ browser, demoUrl: demo.url, samples: options['clock-samples'] ?? 15, log }));
    await step('bfcache', '5. Back/forward cache', () =>
      runBackForwardCache({ executablePath, demoUrl: demo.url, samples: options['bfcache-samples'] ?? 30, log }),
    );
    await step('whole', '8. Whole playwright test runs', () => runWholeRun({ demoUrl: demo.url, executablePath, iterations: options['whole-runs'] ?? 3, log }));
    await step('remote', '7. Remote browser server', async () => {
      if (!options.ws) {
        const reason = 'no browser server: give --ws=ws://host:port/ or PW_TEST_CONNECT_WS_ENDPOINT';
        log(`  skipped: ${reason}`);
        return skippedRemote(reason);
      }
      return runRemote({
        wsEndpoint: options.ws,
        localBrowser: browser,
        executablePath: executablePath ?? chromium.executablePath(),
        demoUrl: demo.url,
        samples: options['remote-samples'] ?? 30,
        reportSamples: options['remote-report-samples'] ?? 8,
        probeSamples: options['probe-samples'] ?? 3,
        log,
      });
    });
    await step('scale', '3. Scale', () =>
      runScale({
        browser,
        pagesUrl: pages.url,
        count: options.events ?? 10_000,
        largeCount: options.quick ? 0 : (options['large-events'] ?? 100_000),
        runs: options.runs ?? 50,
        log,
      }),
    );
  } finally {
    await browser.close();
    await demo.close();
    await pages.close();
  }
  await step('report', '4. Report delivery', () =>
    runReportDelivery({
      executablePath,
      samples: options['report-samples'] ?? 15,
      slowSamples: options['slow-samples'] ?? 3,
      slow: !options.quick,
      log,
    }),
  );

  if (want('report')) {
    if (options.markedForRemoval) {
      await step('report', '4b. MarkedForRemoval (5 minutes)', async () => runMarkedForRemoval({ executablePath, log }));
    } else {
      results.push({
        id: 'report-marked-for-removal',
        title: 'MarkedForRemoval (not run: 5 minutes of Chromium garbage collection; add --marked-for-removal)',
        unit: 's',
        ours: null,
        baseline: null,
        ratio: null,
        goal: null,
      });
    }
  }
  await step('install', '6. Install and CI', () => [runInstall({ root, log }), ...ciRows(root)]);

  const markdown = table(results);
  console.log('## Results\n');
  console.log(markdown);

  const fixture = results.find((r) => r.id === 'fixture-overhead');
  if (fixture) {
    const p = fixture.details.perTestMedianMs;
    console.log(
      `\nFixture overhead per test: ${fmt(p.overhead)} ms (ours ${fmt(p.ours)} ms vs bare ${fmt(p.bare)} ms); ` +
        `median of paired per-test ratios ${fmt(fixture.details.medianPairedRatio, 3)}x. Phases, ms per test (median):\n`,
    );
    console.log(phasesTable(fixture.details.phases));
  }
  const latency = results.find((r) => r.id === 'event-to-assertion-latency');
  if (latency) {
    const b = latency.details.breakdown;
    console.log(
      `\nLatency breakdown (median): triggerPush ${fmt(b.triggerPush.median, 3)} ms + matcher ${fmt(b.matcherAfterTrigger.median, 3)} ms; ` +
        `ratio of p10s ${fmt(latency.details.ratioOfP10, 3)}x, median of paired ratios ${fmt(latency.details.medianPairedRatio, 3)}x`,
    );
  }
  const fill = results.find((r) => r.id === 'scale-fill-with-waiting-matcher');
  if (fill) {
    const d = fill.details;
    console.log(
      `\nFilling the recording (wall clock): nobody waiting ${fmt(d.nobodyWaiting.fillMs)} ms, matcher waiting ${fmt(d.waiting.fillMs)} ms, ` +
        `bare CDP listener ${fmt(d.rawListener.fillMs)} ms.`,
    );
  }
  const failed = results.filter((r) => r.verdict === 'FAIL').map((r) => r.id);
  machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const output = {
    date: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    git: gitState(),
    distBuiltAt: statSync(path.join(root, 'dist', 'index.js')).mtime.toISOString(),
    distUpToDate,
    loadPerBenchmark: loads,
    failed,
    results,
  };
  await writeFile(options.out, `${JSON.stringify(output, null, 2)}\n`);
  console.log(
    `\n${results.length} results, ${failed.length} goal(s) missed${failed.length ? `: ${failed.join(', ')}` : ''}. Total ${output.durationSeconds} s. Written to ${path.relative(process.cwd(), options.out)}.`,
  );
}

// The memory figures need global.gc(): re-launch once with --expose-gc, so one command is enough.
if (typeof global.gc !== 'function') {
  const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}
