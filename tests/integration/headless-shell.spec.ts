import { existsSync } from 'node:fs';
import { test, expect, UnsupportedFeatureError, type BackgroundServicesSupport } from 'playwright-background-services';

// Debian's build of it; Playwright's own is chromium_headless_shell-*/chrome-headless-shell-linux64/chrome-headless-shell.
const SHELL = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
const SERVICES_THE_SHELL_LACKS = ['backgroundFetch', 'backgroundSync', 'notifications', 'paymentHandler', 'periodicBackgroundSync'] as const;

/** The text every unsupported-feature error of the shell ends with, for one feature. */
function shellError(call: string, title: string, feature: string, support: BackgroundServicesSupport): string {
  const reason = support[feature as keyof Omit<BackgroundServicesSupport, 'browser'>].reason;
  return (
    `${call} needs ${title}, which chrome-headless-shell ${support.browser.version} does not support ` +
    `(chosen by the chromiumExecutablePath option = ${JSON.stringify(SHELL)}): ${reason}. ` +
    `Fix: launch a full Chromium instead of the headless shell: remove that choice and let the fixtures pick one, or set \`use: { channel: 'chromium' }\`. ` +
    `To skip the test on such a browser instead: test.skip(!backgroundServicesSupport.${feature}.supported, backgroundServicesSupport.${feature}.reason).`
  );
}

test.use({ chromiumExecutablePath: SHELL });

test.describe('chrome-headless-shell, chosen explicitly', () => {
  test.skip(!existsSync(SHELL), `no chrome-headless-shell at ${SHELL} (apt-get install chromium-headless-shell)`);

  test("the probe names the shell and what it lacks, in the browser's own words", ({ backgroundServicesSupport: support }) => {
    expect(support.browser).toMatchObject({ headlessShell: true, headless: true, description: `chrome-headless-shell ${support.browser.version}` });
    expect(support.browser.product).toMatch(/^HeadlessChrome\//);
    expect(support.notifications.reason).toMatch(/^showNotification\(\) rejected: TypeError: .*No notification permission has been granted/);
    expect(support.backgroundSync.reason).toBe('sync.register() rejected: UnknownError: Background Sync is disabled.');
    expect(support.periodicBackgroundSync.reason).toBe('periodicSync.register() rejected: UnknownError: Unknown error.');
    expect(support.paymentHandler.reason).toMatch(/^PaymentRequest\.show\(\) with a just-in-time payment app failed: /);
    expect(support.backgroundFetch.reason).toBe(
      'a background fetch of one small file started but did not complete within 10 s (the headless shell has no download service)',
    );
    for (const service of SERVICES_THE_SHELL_LACKS) expect(support[service].supported, service).toBe(false);
    for (const feature of ['pushMessaging', 'serviceWorkerOffline', 'reportingApi'] as const) expect(support[feature].supported, feature).toBe(true);
    expect(support.backForwardCache.supported).toBe(false);
    expect(support.networkErrorLogging.reason).toBe(
      'a page with NEL and Report-To headers sent no network-error report to a trusted HTTPS collector within 10 s',
    );
  });

  test('recording a service it lacks fails at once, naming the service, the browser, the choice and the fix', async ({
    recordBackgroundService,
    backgroundServicesSupport: support,
  }) => {
    const error = await recordBackgroundService(['pushMessaging', 'notifications']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ feature: 'notifications', browser: `chrome-headless-shell ${support.browser.version}` });
    expect((error as Error).message).toBe(shellError('recordBackgroundService()', 'Notifications', 'notifications', support));
  });

  test('a matcher that waits for such an event fails at once instead of timing out', async ({
    page,
    recordBackgroundService,
    backgroundServicesSupport: support,
  }) => {
    test.setTimeout(30_000);
    const recording = await recordBackgroundService();
    await page.goto('/sync/');
    const waited = expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync' }, { timeout: 120_000 });
    await expect(waited).rejects.toThrow(shellError('expect(recording).toHaveRecordedEvent()', 'Background Sync', 'backgroundSync', support));
    await expect(expect(recording).not.toHaveRecordedEvent({ service: 'notifications' }, { timeout: 120_000 })).rejects.toThrow(
      shellError('expect(recording).toHaveRecordedEvent()', 'Notifications', 'notifications', support),
    );
  });

  test('what it has still works: the push and sync buttons', async ({ page, recordBackgroundService, triggerPush, triggerSync }) => {
    const recording = await recordBackgroundService(['pushMessaging']);
    await page.goto('/sync/');
    const { status } = await triggerPush('no notification here');
    expect(status).toBe('Success');
    await triggerSync('outbox');
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
  });

  test('the back/forward cache: the shell has none', async ({ page, testBackForwardCache, backgroundServicesSupport: support }) => {
    await page.goto('/bfcache/plain/');
    await expect(testBackForwardCache()).rejects.toThrow(
      shellError('testBackForwardCache()', 'Back/forward cache', 'backForwardCache', support).replace(
        /Fix: .*?\. To skip/,
        'Fix: set `use: { backForwardCache: true }` (playwright.config.ts, a project or test.use()): the fixtures then launch without --disable-back-forward-cache. To skip',
      ),
    );
  });
});
