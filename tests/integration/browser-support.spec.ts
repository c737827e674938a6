import { test, expect, UnsupportedFeatureError } from 'playwright-background-services';

const SERVICES_THE_SHELL_LACKS = ['backgroundFetch', 'backgroundSync', 'notifications', 'paymentHandler', 'periodicBackgroundSync'] as const;

test.describe('the browser the fixtures launch by default', () => {
  test('is a full Chromium that has every service', ({ backgroundServicesSupport: support }) => {
    expect(support.browser.headlessShell).toBe(false);
    expect(support.browser.product).toMatch(/^Chrome\/\d+\./);
    for (const service of [...SERVICES_THE_SHELL_LACKS, 'pushMessaging', 'serviceWorkerOffline', 'reportingApi', 'networkErrorLogging'] as const) {
      // On a loaded machine a slow answer is "yes, not confirmed": never a wrong "no".
      expect(support[service].supported, `${service}: ${support[service].reason}`).toBe(true);
    }
    // Playwright launches Chromium with --disable-back-forward-cache; the probe says so.
    expect(support.backForwardCache).toEqual({
      supported: false,
      reason:
        'the cache is off: the browser was launched with --disable-back-forward-cache, which Playwright passes by default (BackForwardCacheDisabledByCommandLine)',
    });
  });

  test('was chosen by the fixtures, or by the variable this run set', ({ backgroundServicesSupport: support }) => {
    const fromEnv = process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? process.env.CHROME_PATH;
    if (fromEnv) expect(support.browser.chosenBy).toContain(JSON.stringify(fromEnv));
    else expect(support.browser.chosenBy).toMatch(/^(Playwright's Chromium through channel: 'chromium'|the system's browser at .+), the fixtures' default/);
  });

  test('testBackForwardCache says at once that the cache is off, and how to turn it on', async ({
    page,
    testBackForwardCache,
    backgroundServicesSupport: support,
  }) => {
    await page.goto('/bfcache/plain/');
    const error = await testBackForwardCache().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect((error as Error).message).toBe(
      `testBackForwardCache() needs Back/forward cache, which ${support.browser.description} does not support (${support.browser.chosenBy}): ` +
        `${support.backForwardCache.reason}. Fix: set \`use: { backForwardCache: true }\` (playwright.config.ts, a project or test.use()): the fixtures then launch without --disable-back-forward-cache. ` +
        'To skip the test on such a browser instead: test.skip(!backgroundServicesSupport.backForwardCache.supported, backgroundServicesSupport.backForwardCache.reason).',
    );
    // Thrown from inside a matcher: Playwright before 1.46 rewraps it (same message, another class).
    await expect(expect(page).toBeRestoredFromBackForwardCache()).rejects.toThrow(/^testBackForwardCache\(\) needs Back\/forward cache, which /);
  });
});
