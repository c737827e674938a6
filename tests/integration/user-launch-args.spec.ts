import { test, expect } from 'playwright-background-services';

// A spec file's own launch options replace the project's: the fixtures keep adding what they need
// (the collector's certificate pin, the short reporting delay), and name the user's choice.
test.use({ launchOptions: { args: ['--js-flags=--expose-gc'] } });
// A browser of its own, launched and probed in full (its command line keys no cached probe): in CI,
// at the end of a loaded run, that took 24 s of the 30 s default once (a page took 17 s to open).
test.slow();

test('still the full Chromium, the collector trusted, the report delivered', async ({
  page,
  backgroundServicesSupport: support,
  reportCollector,
  awaitReport,
}) => {
  expect(support.browser.headlessShell).toBe(false);
  expect(support.reportingShortDelay.supported).toBe(true);
  expect(await page.evaluate(() => typeof (globalThis as { gc?: unknown }).gc)).toBe('function');
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
});
