import { test, expect } from 'playwright-background-services';
import { reportPages } from '../fixtures/reporting.mjs';

test('CSP violations are reported', async ({ page, reportCollector, awaitReport }) => {
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  // (or your own server, with Reporting-Endpoints: main="${reportCollector.endpoint('main')}")
  const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
  expect(report.body.effectiveDirective).toBe('script-src-elem');
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});

test('deprecations and interventions go to the "default" endpoint', async ({ page, reportCollector, awaitReport, backgroundServicesSupport: support }) => {
  // A second report in one context waits up to 60 s where the browser lacks --short-reporting-delay.
  test.skip(!support.reportingShortDelay.supported, support.reportingShortDelay.reason);
  await page.goto(reportCollector.pageWithHeaders(reportPages.deprecation));
  expect((await awaitReport({ type: 'deprecation', status: 'Success' })).destination).toBe('default');

  await page.goto(reportCollector.pageWithHeaders(reportPages.intervention));
  await awaitReport({ type: 'intervention', status: 'Success' });
});

test('policy violations are reported', async ({ page, reportCollector, awaitReport, backgroundServicesSupport: support }) => {
  test.skip(!support.reportingShortDelay.supported, support.reportingShortDelay.reason);
  await page.goto(reportCollector.pageWithHeaders(reportPages.permissionsPolicy));
  const permissions = await awaitReport({ type: 'permissions-policy-violation', status: 'Success' });
  expect(permissions.body.policyId).toBe('geolocation');

  await page.goto(reportCollector.pageWithHeaders(reportPages.documentPolicy));
  const document = await awaitReport({ type: 'document-policy-violation', status: 'Success' });
  expect(document.body.policyId).toBe('js-profiling');
});

test('the Endpoints table lists what Reporting-Endpoints configured', async ({ page, reportCollector, reportingApi, backgroundServicesSupport: support }) => {
  test.skip(!support.reportingShortDelay.supported, support.reportingShortDelay.reason);
  await page.goto(reportCollector.pageWithHeaders(reportPages.twoEndpoints));
  await expect(reportingApi).toHaveReport({ type: 'csp-violation', destination: 'main', status: 'Success' });
  await expect(reportingApi).toHaveReport({ type: 'deprecation', destination: 'default', status: 'Success' });
  expect(reportingApi.endpoints.map((endpoint) => endpoint.groupName).sort()).toEqual(['default', 'main']);
});

test('a failing endpoint: Pending, then Queued while the browser waits to retry', async ({ page, reportCollector, awaitReport }) => {
  reportCollector.respondWith({ kind: 'status', status: 500 });
  await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
  const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
  await expect(report).toHaveReportStatus('Queued');
  await expect(reportCollector).not.toHaveReceivedReport({ type: 'csp-violation' });
});

test('MarkedForRemoval: Chromium gives up on an endpoint that keeps failing @slow', async ({ page, reportCollector, awaitReport }) => {
  // Chromium marks undeliverable reports at its garbage collection, every 5 minutes.
  test.setTimeout(8 * 60_000);
  reportCollector.respondWith({ kind: 'status', status: 500 });
  await page.goto(reportCollector.pageWithHeaders(reportPages.csp));
  const report = await awaitReport({ type: 'csp-violation', status: 'MarkedForRemoval' }, { timeout: 7 * 60_000 });
  expect(report.history[0]!.status).toBe('Queued');
  await expect(reportCollector).not.toHaveReceivedReport({ type: 'csp-violation' });
});

test('Network Error Logging reaches the collector (DevTools never lists it)', async ({ page, reportCollector, backgroundServicesSupport: support }) => {
  test.skip(!support.networkErrorLogging.supported, support.networkErrorLogging.reason);
  const url = reportCollector.pageWithHeaders({ nel: true });
  await page.goto(url);
  await page.goto(url);
  await expect(reportCollector).toHaveReceivedReport({ type: 'network-error', body: { type: 'ok' } });
});
