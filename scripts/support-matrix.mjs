#!/usr/bin/env node
// Asks each browser this machine has what it can do (the library's capability probe), and
// prints the feature × browser table the README shows. `--write` replaces the table in
// README.md between its markers. Run `npm run build` first: it uses dist/.
//
//   node scripts/support-matrix.mjs [--write] [--json FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { FEATURES, FEATURE_TITLES, chooseChromium, probeBackgroundServicesSupport, startReportCollector } from '../dist/index.js';

const chromium150 = process.env.CHROMIUM_150 ?? '.browsers/chromium-150/usr/lib/chromium/chromium';
const shell = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
const configs = [
  { name: 'Fixtures\' default (full Chromium, new headless)', headless: true },
  { name: 'Fixtures\' default with `backForwardCache: true`', headless: true, backForwardCache: true },
  { name: 'chrome-headless-shell (Playwright\'s own default when headless)', headless: true, executablePath: shell },
  { name: 'Headed (under Xvfb)', headless: false, needsDisplay: true },
  { name: 'Chromium 150', headless: true, executablePath: chromium150 },
];

const collectorServer = await startReportCollector();
const results = [];
for (const config of configs) {
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
    const probe = probeBackgroundServicesSupport(browser, { choice: chosen.choice, collectorServer, shortReportingDelay: true });
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
    if (s.reason) reasons.push(`- ${r.support.browser.description}${r.config.includes('backForwardCache') ? ' with `backForwardCache: true`' : ''}, ${FEATURE_TITLES[feature]}: ${s.reason}`);
  }
}
const table = [...lines, '', ...[...new Set(reasons)]].join('\n');
console.log(table);

const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, undefined, 2));
if (process.argv.includes('--write')) {
  const begin = '<!-- support-matrix:begin (node scripts/support-matrix.mjs --write) -->';
  const end = '<!-- support-matrix:end -->';
  const readme = readFileSync('README.md', 'utf8');
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`README.md has no ${begin} … ${end} markers`);
  writeFileSync('README.md', `${readme.slice(0, from + begin.length)}\n${table}\n${readme.slice(to)}`);
  console.error('README.md updated');
}
