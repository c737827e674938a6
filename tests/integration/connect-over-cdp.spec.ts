import type { Browser } from '@playwright/test';
import { test as base, expect, createBackgroundServices } from 'playwright-background-services';
import { startChromiumByHand } from '../../scripts/chromium-by-hand.mjs';

// docs/browsers.md's recipe for a browser the test did not launch (the stand-in here for Chrome stable
// or Edge started by hand): start it with a DevTools port, then hand the fixtures
// chromium.connectOverCDP() as the worker's browser.
const test = base.extend<Record<never, never>, { browser: Browser }>({
  browser: [
    async ({}, use) => {
      const { browser, close } = await startChromiumByHand(process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? '/usr/bin/chromium');
      await use(browser);
      await close();
    },
    { scope: 'worker' },
  ],
});

// The browser does not trust the report collector's certificate: its pages reach it only this way.
test.use({ ignoreHTTPSErrors: true });

test('the probe says the fixtures did not launch it, and what that costs', ({ backgroundServicesSupport: support }) => {
  expect(support.browser.chosenBy).toBe(
    'a browser the fixtures did not launch (chromium.connectOverCDP() or your own browser fixture), so none of their launch flags reached it',
  );
  expect(support.notifications.supported).toBe(true);
  expect(support.pushMessaging.supported).toBe(true);
  // A Chromium started by hand has the cache on: Playwright's --disable-back-forward-cache is not there.
  expect(support.backForwardCache.supported).toBe(true);
  expect(support.reportingShortDelay.supported).toBe(false);
  expect(support.networkErrorLogging).toEqual({
    supported: false,
    reason: expect.stringContaining("only the fixtures' launch flag (--ignore-certificate-errors-spki-list)"),
  });
});

test('a new context: push, notifications, the back/forward cache and a delivered report', async ({
  page,
  recordBackgroundService,
  triggerPush,
  testBackForwardCache,
  reportCollector,
  awaitReport,
}) => {
  const recording = await recordBackgroundService(['pushMessaging', 'notifications']);
  await page.goto('/push/');
  await triggerPush('over CDP');
  await expect(recording).toHaveRecordedEvent({ service: 'notifications', eventName: 'Notification displayed', metadata: { Title: /over CDP/ } });

  await page.goto('/bfcache/plain/');
  expect((await testBackForwardCache()).restored).toBe(true);

  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});

test('the default context, with createBackgroundServices', async ({ browser, baseURL }) => {
  const [context] = browser.contexts();
  const page = await context!.newPage();
  try {
    const services = await createBackgroundServices(page);
    const recording = await services.record(['pushMessaging']);
    await page.goto(`${baseURL}/push/`);
    await services.triggerPush('default context');
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
    await services.dispose();
  } finally {
    await page.close();
  }
});
