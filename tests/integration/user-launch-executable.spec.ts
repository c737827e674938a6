import { createECDH } from 'node:crypto';
import { test, expect } from 'playwright-background-services';

// A spec file's own launch options replace the project's: the fixtures keep adding what they need
// (the collector's certificate pin, the short reporting delay), and name the user's choice.
const executable = process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? '/usr/bin/chromium';
test.use({ launchOptions: { executablePath: executable } });
// A browser of its own, launched and probed in full (its command line keys no cached probe): in CI,
// at the end of a loaded run, that took 24 s of the 30 s default once (a page took 17 s to open).
test.slow();

test("the messages name the user's choice, and the collector still works", async ({
  page,
  backgroundServicesSupport: support,
  reportCollector,
  awaitReport,
}) => {
  expect(support.browser.chosenBy).toBe(`chosen by launchOptions.executablePath = ${JSON.stringify(executable)}`);
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});

test('the push service still works: the page subscribes through it', async ({ page, pushService }) => {
  // An application server key as a backend has one: a P-256 public key, uncompressed, base64url.
  const publicKey = createECDH('prime256v1').generateKeys('base64url');
  await page.goto('/push/');
  const endpoint = await page.evaluate(async (key) => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })).endpoint;
  }, publicKey);
  expect(endpoint.startsWith(pushService.url)).toBe(true);
  expect(pushService.subscriptions.map((subscription) => subscription.endpoint)).toEqual([endpoint]);
});
