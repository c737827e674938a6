import { test, expect } from 'playwright-background-services';

test('a CSP violation is delivered to the HTTPS collector', async ({ page, reportCollector, awaitReport, reportingApi }) => {
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
  expect(report.body.effectiveDirective).toBe('script-src-elem');
  expect(report.history.map((c) => c.status)).toEqual(['Queued', 'Pending', 'Success']);
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', destination: 'main' });
  expect(reportingApi.endpoints.map((e) => e.groupName).sort()).toEqual(['default', 'main']);
});
