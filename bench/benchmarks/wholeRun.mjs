// 8. A whole `playwright test` run: what a user waits for, worker start and browser launch included.
//
// Each sample is one `playwright test` process (the CLI in node_modules, one worker) running one
// spec of a temporary directory under bench/ (so that it imports the package by its name, as the
// examples do), against the demo app this runner already serves. Variants, interleaved in a
// rotating order:
// - bare: @playwright/test alone, on the same Chromium binary: load /push/, wait for its worker.
// - push: the fixtures' `triggerPush('reject')` on /push/ (examples/push.spec.ts, "waitUntil
//   rejects"): a test that uses one feature, so it should pay for the push probe only.
// - support: a test that reads `backgroundServicesSupport`: it waits for the whole probe.
// Each of ours twice: with the probe cache (a folder of this run's, filled by the untimed first
// runs) and without it (PLAYWRIGHT_BACKGROUND_SERVICES_PROBE_CACHE=0: every run probes).
// The ratios are medians of whole runs, against bare's median of the same run.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { now, roundSummary, summarize } from '../lib/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');

const SPECS = {
  bare: `import { test, expect } from '@playwright/test';
test('push page', async ({ page }) => {
  await page.goto('/push/');
  await expect(page.locator('html[data-sw-state="activated"]')).toBeAttached();
});
`,
  // The same push by hand: bare Playwright and the CDP calls triggerPush makes, waiting for the
  // same 'Push event completed' (the fixtures' evidence recording and checks left out).
  barePush: `import { test, expect } from '@playwright/test';
test('push page, pushed over raw CDP', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  const completed = new Promise((resolve) => cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: e }) => {
    if (e.eventName === 'Push event completed') resolve(e);
  }));
  await cdp.send('BackgroundService.startObserving', { service: 'pushMessaging' });
  await cdp.send('BackgroundService.setRecording', { shouldRecord: true, service: 'pushMessaging' });
  const activated = new Promise((resolve) => cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    const version = versions.find((v) => v.status === 'activated');
    if (version) resolve(version.registrationId);
  }));
  await cdp.send('ServiceWorker.enable');
  await page.goto('/push/');
  await expect(page.locator('html[data-sw-state="activated"]')).toBeAttached();
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(page.url()).origin, registrationId: await activated, data: 'reject' });
  const event = await completed;
  expect(event.eventMetadata.find((m) => m.key === 'Status')?.value).toBe('waitUntil Rejected');
});
`,
  push: `import { test, expect } from 'playwright-background-services';
test('a push handler whose waitUntil rejects is reported', async ({ page, triggerPush }) => {
  await page.goto('/push/');
  const { status } = await triggerPush('reject');
  expect(status).toBe('waitUntil Rejected');
});
`,
  support: `import { test, expect } from 'playwright-background-services';
test('reads the support', ({ backgroundServicesSupport }) => {
  expect(backgroundServicesSupport.pushMessaging.supported).toBe(true);
});
`,
};

function config(demoUrl, executablePath) {
  // The bare run gets the binary the fixtures would choose, so that both launch the same browser.
  return `export default {
  workers: 1,
  retries: 0,
  reporter: 'line',
  use: { baseURL: ${JSON.stringify(demoUrl)} },
  projects: [
    { name: 'bare', testMatch: /bare(Push)?\\.spec\\.ts$/, use: { launchOptions: { executablePath: ${JSON.stringify(executablePath ?? undefined)} } } },
    { name: 'ours', testMatch: /(push|support)\\.spec\\.ts$/ },
  ],
};
`;
}

function runOnce(dir, project, spec, env) {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(process.execPath, [cli, 'test', '-c', path.join(dir, 'playwright.config.mjs'), `--project=${project}`, spec], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(now() - started);
      else reject(new Error(`playwright test ${spec} (project ${project}) exited with ${code}:\n${output}`));
    });
  });
}

export async function runWholeRun({ demoUrl, executablePath, iterations = 3, log }) {
  const dir = path.join(root, 'bench', '.whole-run');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(path.join(dir, 'playwright.config.mjs'), config(demoUrl, executablePath));
    for (const [name, text] of Object.entries(SPECS)) writeFileSync(path.join(dir, `${name}.spec.ts`), text);
    const cached = { PLAYWRIGHT_BACKGROUND_SERVICES_PROBE_CACHE: path.join(dir, 'probe-cache') };
    const fresh = { PLAYWRIGHT_BACKGROUND_SERVICES_PROBE_CACHE: '0' };
    const variants = {
      bare: ['bare', 'bare', {}],
      barePush: ['bare', 'barePush', {}],
      push: ['ours', 'push', cached],
      support: ['ours', 'support', cached],
      pushFresh: ['ours', 'push', fresh],
      supportFresh: ['ours', 'support', fresh],
    };
    const names = Object.keys(variants);
    const run = (name) => runOnce(dir, variants[name][0], `${variants[name][1]}.spec.ts`, variants[name][2]);
    const times = Object.fromEntries(names.map((name) => [name, []]));
    // One of each first, untimed: the first run compiles the specs, warms the disk cache and fills the probe cache.
    for (const name of names) await run(name);
    for (let i = 0; i < iterations; i++) {
      const order = names.map((_, k) => names[(i + k) % names.length]);
      for (const name of order) times[name].push(await run(name));
      log?.(`  run ${i + 1}/${iterations}: ${names.map((name) => `${name} ${times[name].at(-1).toFixed(0)} ms`).join(', ')}`);
    }
    const row = (name, title, goal, against = 'bare') => {
      const ours = summarize(times[name]);
      const bare = summarize(times[against]);
      return {
        id: `whole-run-${name}${against === 'bare' ? '' : `-vs-${against}`}`,
        title: `${title} (${iterations} runs each, interleaved)`,
        unit: 'ms',
        ours: roundSummary(ours),
        baseline: roundSummary(bare),
        baselineLabel:
          against === 'bare'
            ? '@playwright/test alone: load /push/, wait for its worker'
            : '@playwright/test alone doing the same push over raw CDP (deliverPushMessage, wait for Push event completed)',
        ratio: ours.median / bare.median,
        goal,
        details: { samples: { ours: times[name], bare: times[against] } },
      };
    };
    return [
      row('push', 'Whole `playwright test` run, one push test (triggerPush), probe cache filled', { op: '<=', ratio: 1.15, text: '≤ 1.15x' }),
      row(
        'push',
        'Whole `playwright test` run, one push test (triggerPush), probe cache filled, against the same push by hand',
        { op: '<=', ratio: 1.15, text: '≤ 1.15x' },
        'barePush',
      ),
      row('pushFresh', 'Whole `playwright test` run, one push test (triggerPush), no probe cache', { op: '<=', ratio: 1.15, text: '≤ 1.15x' }),
      row('support', 'Whole `playwright test` run, one test reading backgroundServicesSupport, probe cache filled', { op: '<=', ratio: 1.5, text: '≤ 1.5x' }),
      row('supportFresh', 'Whole `playwright test` run, one test reading backgroundServicesSupport, no probe cache', { op: '<=', ratio: 1.5, text: '≤ 1.5x' }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
