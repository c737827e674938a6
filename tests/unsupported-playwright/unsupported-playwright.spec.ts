// Playwright's own auto fixtures read _combinedContextOptions before the library does: its check
// is a node test (tests/node/playwrightInternals.test.mjs).
import { test as base } from '@playwright/test';
import { backgroundServicesFixtures } from 'playwright-background-services';

const withoutBrowserOptions = base
  .extend<object, { _browserOptions: unknown }>({
    _browserOptions: [async ({}, use: (value: unknown) => Promise<void>) => use(undefined), { scope: 'worker', auto: true }],
  })
  .extend(backgroundServicesFixtures);

withoutBrowserOptions('without _browserOptions', async ({ page }) => {
  await page.goto('about:blank');
});
