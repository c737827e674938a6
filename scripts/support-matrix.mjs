#!/usr/bin/env node
// Asks each browser this machine has what it can do (the library's capability probe), and
// prints the feature × browser table docs/browsers.md shows. `--write` replaces the table in
// docs/browsers.md between its markers. Run `npm run build` first: it uses dist/.
//
//   node scripts/support-matrix.mjs [--write] [--json FILE] [--remote ws://…] [--remote-unsafe ws://…]
//
// --remote and --remote-unsafe add a remote browser server each (`playwright run-server`, without
// and with --unsafe, reached with exposeNetwork: '<loopback>': scripts/remote-browser-netns.sh),
// and a Chromium started by hand is probed through chromium.connectOverCDP().
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { FEATURES, FEATURE_TITLES, chooseChromium, ReportCollectorServer, createSupportProbe } from '#internal';
import { startChromiumByHand } from './chromium-by-hand.mjs';

const chromium150 = process.env.CHROMIUM_150 ?? '.browsers/chromium-150/usr/lib/chromium/chromium';
const shell = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
const configs = [
  { name: "Fixtures' default (full Chromium, new headless)", headless: true },
  { name: "Fixtures' default with `backForwardCache: true`", headless: true, backForwardCache: true },
  { name: "chrome-headless-shell (Playwright's own default when headless)", headless: true, executablePath: shell },
  { name: 'Headed (under Xvfb)', headless: false, needsDisplay: true },
  { name: 'Chromium 150', headless: true, executablePath: chromium150 },
];

const argument = (name) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
if (argument('--remote')) configs.push({ name: 'Remote `run-server`', remote: argument('--remote') });
if (argument('--remote-unsafe')) configs.push({ name: 'Remote `run-server --unsafe`', remote: argument('--remote-unsafe'), backForwardCache: true });
configs.push({ name: 'Started by hand, `connectOverCDP()`', attached: process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? '/usr/bin/chromium' });

const collectorServer = await ReportCollectorServer.start();
const results = [];
for (const config of configs) {
  if (config.remote || config.attached) {
    const remote = config.remote ? { wsEndpoint: config.remote, exposeNetwork: '<loopback>' } : undefined;
    const chosen = chooseChromium({ launchOptions: {}, playwrightExecutablePath: chromium.executablePath(), remote: !!remote });
    const launch = {
      ...chosen.launchOptions,
      headless: true,
      args: [...chosen.launchOptions.args, `--ignore-certificate-errors-spki-list=${collectorServer.spkiPin}`, '--short-reporting-delay'],
      ...(config.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    };
    const { browser, close } = remote
      ? await chromium
          .connect(remote.wsEndpoint, { exposeNetwork: remote.exposeNetwork, headers: { 'x-playwright-launch-options': JSON.stringify(launch) } })
          .then((b) => ({ browser: b, close: () => b.close() }))
      : await startChromiumByHand(config.attached);
    try {
      const probe = createSupportProbe(browser, {
        choice: remote ? chosen.choice : undefined,
        collectorServer,
        shortReportingDelay: true,
        backForwardCache: !!config.backForwardCache,
        remote,
      });
      const started = Date.now();
      const support = await probe.all();
      results.push({ config: config.name, support, ms: Date.now() - started });
      console.error(`probed: ${config.name}: ${support.browser.description} in ${Date.now() - started} ms`);
    } finally {
      await close();
    }
    continue;
  }
  if (config.executablePath && !existsSync(config.executablePath)) {
    console.error(`skipped: ${config.name} (no ${config.executablePath})`);
    continue;
  }
  if (config.needsDisplay && !process.env.DISPLAY) {
    console.error(`skipped: ${config.name} (no DISPLAY: run under xvfb-run)`);
    continue;
  }
  const launchOptions = config.executablePath ? { executablePath: config.executablePath } : {};
  const chosen = chooseChromium({
    launchOptions,
    playwrightExecutablePath: chromium.executablePath(),
  });
  const browser = await chromium.launch({
    ...launchOptions,
    ...chosen.launchOptions,
    headless: config.headless,
    args: [...chosen.launchOptions.args, `--ignore-certificate-errors-spki-list=${collectorServer.spkiPin}`, '--short-reporting-delay'],
    ...(config.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
  try {
    const probe = createSupportProbe(browser, { choice: chosen.choice, collectorServer, shortReportingDelay: true });
    const started = Date.now();
    const support = await probe.all();
    results.push({ config: config.name, support, ms: Date.now() - started });
    console.error(`probed: ${config.name}: ${support.browser.description} in ${Date.now() - started} ms`);
  } finally {
    await browser.close();
  }
}
await collectorServer.close();

const cell = (s) => (s.supported ? (s.reason ? 'yes*' : 'yes') : 'no');
const lines = [
  `| Feature | ${results.map((r) => `${r.config}<br>${r.support.browser.description}`).join(' | ')} |`,
  `| --- | ${results.map(() => '---').join(' | ')} |`,
  ...FEATURES.map((feature) => `| ${FEATURE_TITLES[feature]} | ${results.map((r) => cell(r.support[feature])).join(' | ')} |`),
];
const reasons = [];
for (const r of results) {
  for (const feature of FEATURES) {
    const s = r.support[feature];
    if (s.reason) reasons.push(`- ${r.config} (${r.support.browser.description}), ${FEATURE_TITLES[feature]}: ${s.reason}`);
  }
}
const table = [...lines, '', ...[...new Set(reasons)]].join('\n');
console.log(table);

const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, undefined, 2));
if (process.argv.includes('--write')) {
  const begin = '<!-- support-matrix:begin (node scripts/support-matrix.mjs --write) -->';
  const end = '<!-- support-matrix:end -->';
  const pagePath = 'docs/browsers.md';
  const page = readFileSync(pagePath, 'utf8');
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${pagePath} has no ${begin} … ${end} markers`);
  writeFileSync(pagePath, `${page.slice(0, from + begin.length)}\n${table}\n${page.slice(to)}`);
  console.error(`${pagePath} updated`);
}
