import { test, expect } from 'playwright-background-services';

// A spec file's own launch options replace the project's: the fixtures keep adding what they need
// (the collector's certificate pin, the short reporting delay), and name the user's choice.
const executable = process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? '/usr/bin/chromium';
test.use({ launchOptions: { executablePath: executable } });

test('the messages name the user\'s choice, and the collector still works', async ({ page, backgroundServicesSupport: support, reportCollector, awaitReport }) => {
  expect(support.browser.chosenBy).toBe(`chosen by launchOptions.executablePath = ${JSON.stringify(executable)}`);
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});
