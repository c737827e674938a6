import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { test, expect } from 'playwright-background-services';

// A spec file's own `channel`: the fixtures keep the collector's pin and the short reporting delay,
// and name the user's choice. Playwright's own Chromium must be installed (CI's standard-layout phase).
test.skip(!existsSync(chromium.executablePath()), `Playwright's Chromium is not installed at ${chromium.executablePath()}`);
test.use({ channel: 'chromium' });

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
