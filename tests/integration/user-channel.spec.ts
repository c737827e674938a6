import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { test, expect } from 'playwright-background-services';

// A spec file's own `channel`: the fixtures keep the collector's pin and the short reporting delay,
// and name the user's choice. Playwright's own Chromium must be installed (CI's standard-layout phase).
test.skip(!existsSync(chromium.executablePath()), `Playwright's Chromium is not installed at ${chromium.executablePath()}`);
test.use({ channel: 'chromium' });
// A browser of its own, launched and probed in full (its command line keys no cached probe): in CI,
// at the end of a loaded run, that took 24 s of the 30 s default once (a page took 17 s to open).
test.slow();

test('the messages name the channel the spec chose, and the collector still works', async ({
  page,
  backgroundServicesSupport: support,
  reportCollector,
  awaitReport,
}) => {
  expect(support.browser.chosenBy).toBe('chosen by channel: "chromium" (use: { channel } in the config, a project or test.use())');
  expect(support.reportingShortDelay.supported).toBe(true);
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});
