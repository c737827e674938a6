import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { test, expect, UnsupportedFeatureError } from 'playwright-background-services';
import { allSpecs, runConfig } from '../support/nestedRun.js';

// Runs where the project is pointed at a remote browser server (PW_TEST_CONNECT_WS_ENDPOINT, as
// .ci/run's remote phases do): what the fixtures measured of the set-up, and the errors of what
// cannot work there. A local run skips it.
test.skip(({ connectOptions }) => !connectOptions, 'needs a remote browser server: PW_TEST_CONNECT_WS_ENDPOINT');

test('the probe names the server and whether its launch flags arrived', ({ backgroundServicesSupport: support, connectOptions }) => {
  const { chosenBy } = support.browser;
  expect(chosenBy).toContain(`on the remote browser server ${connectOptions!.wsEndpoint}`);
  expect(chosenBy).toContain("the server's full Chromium through channel: 'chromium', the fixtures' default");
  expect(support.browser.headlessShell).toBe(false);
  if (process.env.REMOTE_UNSAFE) {
    expect(chosenBy).toContain("run-server --unsafe: the fixtures' launch flags reached it");
    expect(support.reportingShortDelay.supported).toBe(true);
  } else {
    expect(chosenBy).toContain("the server dropped the fixtures' launch flags, as run-server does without --unsafe");
    expect(support.reportingShortDelay).toEqual({ supported: false, reason: expect.stringContaining("did not get the fixtures' --short-reporting-delay") });
    expect(support.backForwardCache.supported).toBe(false);
  }
  // Chromium's own rule, whatever the flags: no NEL through a proxy.
  expect(support.networkErrorLogging.supported).toBe(false);
  expect(support.networkErrorLogging.reason).toContain("Don't accept NEL headers received via a proxy");
});

test('testBackForwardCache tells a server without --unsafe to start with it', async ({ page, testBackForwardCache }) => {
  test.skip(!!process.env.REMOTE_UNSAFE, 'with --unsafe the flag can be removed: the cache works');
  await page.goto('/bfcache/plain/');
  const error = await testBackForwardCache().catch((e: Error) => e);
  expect(error).toBeInstanceOf(UnsupportedFeatureError);
  expect((error as Error).message).toContain('Fix: start the server with `npx playwright run-server --unsafe`');
  expect((error as Error).message).not.toContain('set `use: { backForwardCache: true }` (playwright.config.ts');
});

test('desktopNotifications on a remote server fails at once, naming the server', async ({ connectOptions }) => {
  test.setTimeout(90_000);
  const run = await runConfig('tests/desktop-errors/playwright.config.ts', ['--project=remote']);
  const [result] = run.report.suites.flatMap(allSpecs).map((spec) => spec.tests[0]!.results[0]!);
  expect(result!.status).toBe('failed');
  expect(result!.errors[0]!.message).toContain(
    `BackgroundServicesError: test.use({ desktopNotifications: true }) launches the test's browser on this machine, on a private session D-Bus whose notification service the desktop fixture is: ` +
      `Chromium shows notifications on the D-Bus of the machine it runs on, and this worker's browser runs on the remote browser server ${connectOptions!.wsEndpoint}, whose desktop the fixtures cannot see. ` +
      'Fix: run the desktop notification tests in a project without connectOptions (the rest of the suite can stay remote).',
  );
});

test('the report collector gets the report of a page it served', async ({ page, reportCollector, awaitReport }) => {
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await awaitReport({ type: 'csp-violation', status: 'Success' });
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});

test.describe('a page of another HTTPS server (a staging server) that reports to the collector', () => {
  test.skip(!!process.env.REMOTE_UNSAFE, "with --unsafe the browser trusts the collector's pinned certificate: the upload succeeds");
  test.use({ ignoreHTTPSErrors: true });

  for (const preconnect of [false, true]) {
    test(`awaitReport fails at the failed upload, not at its timeout${preconnect ? ' (the page preconnects to the collector)' : ''}`, async ({
      page,
      reportCollector,
      awaitReport,
    }) => {
      const staging = await startStaging(
        reportCollector.reportingEndpointsHeader(),
        // The uploader reuses a connection that a page of the collector opened; does it reuse one the reporting page opened?
        preconnect ? `<link rel="preconnect" href="${reportCollector.url}" crossorigin><img src="${reportCollector.url}/page/none">` : '',
      );
      try {
        await page.goto(staging.url);
        const error = await awaitReport({ type: 'csp-violation', status: 'Success' }, { timeout: 60_000 }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).name).toBe('BackgroundServicesError');
        expect((error as Error).message).toMatch(
          new RegExp(
            `^awaitReport\\(\\{ type: 'csp-violation', status: 'Success' \\}\\): the upload of the report of ${staging.url.replace(/[.]/g, '\\.')} to "main" failed \\(\\d attempt\\(s\\), now (Queued|Pending)\\), and on this set-up every retry fails the same way\\.`,
          ),
        );
        expect((error as Error).message).toContain("Note: this browser got none of the fixtures' launch flags");
        expect(reportCollector.reports).toEqual([]);
      } finally {
        await staging.close();
      }
    });
  }
});

async function startStaging(reportingEndpoints: string, extra: string): Promise<{ url: string; close: () => Promise<void> }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', algorithm: 'sha256' });
  const server = createServer({ key: pems.private, cert: pems.cert }, (request, response) => {
    response
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Reporting-Endpoints': reportingEndpoints,
        'Content-Security-Policy': "script-src 'none'; report-to main",
      })
      .end(`<!doctype html><title>Staging</title>${extra}<script>document.title = 'ran'</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
