import https from 'node:https';
import { test, expect } from 'playwright-background-services';
import { type PageHeaders } from '#internal';
import { failureOf } from '../support/failureOf.js';
import { reportPages } from '../../fixtures/reporting.mjs';

test.describe('report types', () => {
  const cases: Array<{ type: string; destination: string; page: PageHeaders; body: Record<string, unknown> }> = [
    {
      type: 'csp-violation',
      destination: 'main',
      page: { csp: "script-src 'none'; report-to main" },
      body: { effectiveDirective: 'script-src-elem', disposition: 'enforce' },
    },
    {
      type: 'deprecation',
      destination: 'default',
      page: { html: `<script>const x = new XMLHttpRequest(); x.open('GET', location.href, false); x.send();</script>` },
      body: { id: 'XMLHttpRequestSynchronousInNonWorkerOutsideBeforeUnload' },
    },
    {
      type: 'intervention',
      destination: 'default',
      page: { html: `<script>navigator.vibrate(100);</script>` },
      body: {},
    },
    {
      type: 'permissions-policy-violation',
      destination: 'default',
      page: { permissionsPolicy: 'geolocation=()', html: `<script>navigator.geolocation.getCurrentPosition(() => {}, () => {});</script>` },
      body: { policyId: 'geolocation', disposition: 'enforce' },
    },
    {
      type: 'document-policy-violation',
      destination: 'main',
      page: {
        documentPolicy: 'js-profiling=?0;report-to=main',
        html: `<script>try { new Profiler({ sampleInterval: 10, maxBufferSize: 10 }); } catch {}</script>`,
      },
      body: { policyId: 'js-profiling', disposition: 'enforce' },
    },
  ];
  for (const { type, destination, page: headers, body } of cases) {
    test(`${type} reaches Success and the collector`, async ({ page, reportCollector, awaitReport }) => {
      const url = reportCollector.pageWithHeaders(headers);
      await page.goto(url);
      const report = await awaitReport({ type, status: 'Success' });
      expect(report.url).toBe(url);
      expect(report.destination).toBe(destination);
      expect(report.body).toMatchObject(body);
      await expect(reportCollector).toHaveReceivedReport({ type, url, destination });
    });
  }
});

test.describe('the demo pages', () => {
  test('a page with two endpoints: each report goes to its own', async ({ page, reportCollector, reportingApi }) => {
    await page.goto(reportCollector.pageWithHeaders(reportPages.twoEndpoints));
    await expect(reportingApi).toHaveReport({ type: 'csp-violation', destination: 'main', status: 'Success' });
    await expect(reportingApi).toHaveReport({ type: 'deprecation', destination: 'default', status: 'Success' });
    expect(reportingApi.endpoints.map(({ groupName, url }) => ({ groupName, url }))).toEqual(
      expect.arrayContaining([
        { groupName: 'main', url: reportCollector.endpoint('main') },
        { groupName: 'default', url: reportCollector.endpoint('default') },
      ]),
    );
    await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', destination: 'main', body: { effectiveDirective: 'img-src' } });
    await expect(reportCollector).toHaveReceivedReport({ type: 'deprecation', destination: 'default' });
  });
});

test.describe('statuses', () => {
  test('Queued, Pending, Success: the status history of a delivered report', async ({ page, reportCollector, awaitReport, reportingApi }) => {
    await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
    const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
    expect(report.history.map((change) => change.status)).toEqual(['Queued', 'Pending', 'Success']);
    await expect(report).toHaveReportStatus('Success');
    await expect(reportingApi).toHaveReport({ type: 'csp-violation', status: 'Success' });
  });

  test('a failing endpoint keeps the report Pending and Queued, until it recovers', async ({ page, reportCollector, awaitReport }) => {
    reportCollector.respondWith({ kind: 'status', status: 500 });
    await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
    const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
    // After the failed attempt the browser waits before retrying: back to Queued.
    await expect(report).toHaveReportStatus('Queued');
    // Retries may already have begun: the history starts so, and never reaches Success.
    expect(report.history.map((c) => c.status).slice(0, 3)).toEqual(['Queued', 'Pending', 'Queued']);
    expect(report.reached('Success')).toBe(false);
    await expect(reportCollector).not.toHaveReceivedReport({ type: 'csp-violation' });
    await expect(report).not.toHaveReportStatus('Success');
  });

  test('a dropped connection is a failed attempt too', async ({ page, reportCollector, awaitReport }) => {
    reportCollector.respondWith({ kind: 'drop' });
    await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
    const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
    await expect(report).toHaveReportStatus('Queued');
    expect(report.reached('Success')).toBe(false);
  });
});

test.describe('diagnostics', () => {
  test('an http:// endpoint is named as the reason nothing arrives', async ({ page, reportCollector, awaitReport, baseURL }) => {
    await page.goto(
      reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main", headers: { 'Reporting-Endpoints': `main="${baseURL}/api/echo"` } }),
    );
    const error = await awaitReport({ type: 'csp-violation', status: 'Success' }, { timeout: 1500 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^awaitReport\(\{ type: 'csp-violation', status: 'Success' \}\): no matching report reached Success within 1500ms\.\nReports \(1\):\n {2}1\. .* csp-violation {2}https:\/\/127\.0\.0\.1:\d+\/\w+\/page\/1 {2}→ main {2}Queued.*\nEndpoints: none\nNote: endpoint "main" of https:\/\/127\.0\.0\.1:\d+ is not HTTPS \(http:\/\/localhost:\d+\/api\/echo\): Chromium never delivers reports to it\.$/,
    );
  });

  test('a page that is not HTTPS is named as the reason its reports have no endpoint', async ({ page, awaitReport }) => {
    await page.goto('/reporting/');
    await page.evaluate(() => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', location.href, false);
      xhr.send();
    });
    const error = await awaitReport({ type: 'deprecation', status: 'Success' }, { timeout: 1000 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /\nNote: http:\/\/localhost:\d+\/reporting\/ is not HTTPS: Chromium ignores its Reporting-Endpoints header, so its reports have no endpoint to go to\. Serve the page over HTTPS \(reportCollector\.pageWithHeaders\(\) does\)\.$/,
    );
  });

  test.describe('without the background-sync permission', () => {
    test.use({ grantBackgroundServicePermissions: false });
    test('the missing permission is named', async ({ page, backgroundServices, reportCollector, awaitReport }) => {
      // Granting only notifications takes background-sync away (a grant replaces the set).
      await backgroundServices.grantPermissions();
      await page.context().grantPermissions(['notifications']);
      await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
      const error = await awaitReport({ type: 'csp-violation', status: 'Success' }, { timeout: 1500 }).catch((e: Error) => e);
      expect((error as Error).message).toContain('Note: the background-sync permission is "denied" for https://127.0.0.1:');
      expect((error as Error).message).toContain(
        ': Chromium holds report delivery without it. Grant it (grantBackgroundServicePermissions: true does, with the others).',
      );
    });
  });
});

test.describe('the collector', () => {
  test('Network Error Logging reports reach it (CDP never shows them)', async ({ page, reportCollector }) => {
    const url = reportCollector.pageWithHeaders({ nel: true });
    await page.goto(url);
    await page.goto(url); // the policy from the first response covers the second request
    await expect(reportCollector).toHaveReceivedReport({ type: 'network-error', destination: 'nel', body: { type: 'ok' } });
  });

  test('answers bad uploads with 4xx and keeps working', async ({ reportCollector }) => {
    // Trusts the collector's own certificate, as the browser does through its SPKI pin.
    const post = (body: string, type = 'application/reports+json') =>
      new Promise<number | undefined>((resolve, reject) => {
        const request = https.request(
          reportCollector.endpoint('main'),
          { method: 'POST', headers: { 'Content-Type': type }, ca: reportCollector.certificate },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    expect(await post('not json')).toBe(400);
    expect(await post('{"type":"x"}')).toBe(400);
    expect(await post('[]', 'text/plain')).toBe(415);
    expect(await post(`[${'{"type":"x","body":{}},'.repeat(60_000)}{"type":"x"}]`)).toBe(413);
    expect(await post('[{"type":"manual","url":"https://example.test/","body":{"n":1}}]')).toBe(204);
    expect(reportCollector.rejected.map((r) => r.status)).toEqual([400, 400, 415, 413]);
    expect(reportCollector.reports).toEqual([expect.objectContaining({ type: 'manual', url: 'https://example.test/', body: { n: 1 }, destination: 'main' })]);
  });

  test('refuses a malformed behavior', ({ reportCollector }) => {
    expect(() => reportCollector.respondWith({ kind: 'status', status: 1000 })).toThrow(
      "reportCollector.respondWith(): expected { kind: 'accept' }, { kind: 'status', status: 100-599 }, { kind: 'delay', ms: >= 0 } or { kind: 'drop' }, got {\"kind\":\"status\",\"status\":1000}.",
    );
  });
});

test.describe('report matchers', () => {
  test('toHaveReportStatus: pass, .not, and a failure that shows the history', async ({ page, reportCollector, awaitReport }) => {
    await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
    const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
    await expect(report).toHaveReportStatus('Success');
    await expect(report).not.toHaveReportStatus('Queued');
    const message = await failureOf(expect(report).toHaveReportStatus('MarkedForRemoval', { timeout: 300 }));
    expect(message).toMatch(
      /^expect\(report\)\.toHaveReportStatus\('MarkedForRemoval'\) failed\n\nExpected: 'MarkedForRemoval'\nReceived: 'Success' \(Queued → Pending → Success\)\nTimeout: 300ms\n\nReport:\n {2}1\. {2}\d\d:\d\d:\d\d\.\d{3} {2}csp-violation {2}https:\/\/127\.0\.0\.1:\d+\/\w+\/page\/1 {2}→ main {2}Queued → Pending → Success \(\d+ attempt\(s\)\) {2}\{"blockedURL":"inline".*$/s,
    );
    await expect(expect(report).toHaveReportStatus('Sent' as never)).rejects.toThrow(
      'expect(report).toHaveReportStatus(): unknown report status "Sent". Expected one of: Queued, Pending, Success, MarkedForRemoval.',
    );
  });

  test('toHaveReportStatus waits while the browser retries', async ({ page, reportCollector, awaitReport }) => {
    reportCollector.respondWith({ kind: 'status', status: 503 });
    await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
    const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
    await expect(report).toHaveReportStatus('Queued');
  });

  test('toHaveReport: pass, .not, and a failure listing reports and endpoints', async ({ page, reportCollector, reportingApi }) => {
    await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
    await expect(reportingApi).toHaveReport({ type: 'csp-violation', body: { effectiveDirective: /script-src/ } });
    await expect(reportingApi).not.toHaveReport({ type: 'deprecation' });
    const message = await failureOf(expect(reportingApi).toHaveReport({ type: 'deprecation' }, { timeout: 300 }));
    expect(message).toMatch(
      /^expect\(reportingApi\)\.toHaveReport\(\{ type: 'deprecation' \}\) failed\n\nExpected: \{ type: 'deprecation' \}\nReceived: 1 report\(s\), none matching\nTimeout: 300ms\n\nReports \(1\):\n {2}1\. .*csp-violation.*\nEndpoints:\n {2}https:\/\/127\.0\.0\.1:\d+ {2}(main|default) {2}https:\/\/127\.0\.0\.1:\d+\/\w+\/reports\/(main|default)\n {2}https:\/\/127\.0\.0\.1:\d+ {2}(main|default) {2}.*$/,
    );
  });

  test('toHaveReceivedReport: pass, .not, and the exact failure message', async ({ page, reportCollector }) => {
    await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
    await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
    await expect(reportCollector).not.toHaveReceivedReport({ type: 'csp-violation', destination: 'default' });
    const message = await failureOf(expect(reportCollector).toHaveReceivedReport({ type: 'coep' }, { timeout: 200 }));
    const [report] = reportCollector.reports;
    expect(message).toBe(
      [
        "expect(reportCollector).toHaveReceivedReport({ type: 'coep' }) failed",
        '',
        "Expected: { type: 'coep' }",
        'Received: 1 report(s) received, none matching',
        'Timeout: 200ms',
        '',
        'Received reports (1):',
        `  1.  csp-violation  ${report!.url}  → main  ${JSON.stringify(report!.body).slice(0, 160)}`,
      ].join('\n'),
    );
    await expect(expect(reportCollector).toHaveReceivedReport({ status: 'Success' } as never)).rejects.toThrow(
      "expect(reportCollector).toHaveReceivedReport(): the collector only has delivered reports; 'status' applies to reports seen through the browser (awaitReport).",
    );
  });
});

test.describe('your own HTTPS page and endpoint, without the collector', () => {
  test.use({ ignoreHTTPSErrors: true });

  test('a self-signed page reports to its own origin: awaitReport sees Success, the server the upload', async ({ page, awaitReport }) => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const uploads: unknown[] = [];
    // Chromium's uploader refuses a new connection to an untrusted certificate; it reuses the page's.
    const server = https.createServer({ key: pems.private, cert: pems.cert, keepAliveTimeout: 60_000 }, (request, response) => {
      if (request.method === 'POST') {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          uploads.push(...(JSON.parse(body) as unknown[]));
          response.writeHead(204).end();
        });
        return;
      }
      const origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
      response.writeHead(200, {
        'Content-Type': 'text/html',
        'Reporting-Endpoints': `main="${origin}/reports"`,
        'Content-Security-Policy': "script-src 'none'; report-to main",
      });
      response.end('<script>1</script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`https://127.0.0.1:${(server.address() as { port: number }).port}/`);
      const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
      expect(report.destination).toBe('main');
      expect(uploads).toEqual([expect.objectContaining({ type: 'csp-violation' })]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
