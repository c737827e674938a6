import { createServer, type AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import {
  test,
  expect,
  BackgroundServicesTimeoutError,
  createBackgroundServices,
  resolveChromiumExecutable,
  TargetClosedError,
} from 'playwright-background-services';

test('a browser killed mid-wait ends the wait at once with a clear error', async ({ baseURL }) => {
  const executablePath = resolveChromiumExecutable({ playwrightExecutablePath: chromium.executablePath() });
  const server = await chromium.launchServer({ executablePath });
  const browser = await chromium.connect(server.wsEndpoint());
  const page = await browser.newPage();
  const services = await createBackgroundServices(page, { timeout: 60_000 });
  const recording = await services.record('pushMessaging');
  await page.goto(`${baseURL}/push/`);
  const waiting = recording.waitForEvent({ eventName: 'Push event completed' }).catch((e: Error) => e);
  const started = Date.now();
  server.process().kill('SIGKILL');
  const error = await waiting;
  expect(error).toBeInstanceOf(TargetClosedError);
  expect((error as Error).message).toMatch(/^The page \(http:\/\/localhost:\d+\/push\/\) was closed\.$/);
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(services.triggerPush('late')).rejects.toThrow(/^triggerPush\(\): The page \(http:\/\/localhost:\d+\/push\/\) was closed\.$/);
  await services.dispose();
  await server.close().catch(() => {});
});

test('contexts never see each other\'s events or reports', async ({ page, browser, recordBackgroundService, reportCollector, reportingApi, baseURL }) => {
  const recording = await recordBackgroundService('pushMessaging');
  await page.goto('/push/');

  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  const other = await createBackgroundServices(otherPage);
  const otherRecording = await other.record('pushMessaging');
  await otherPage.goto(`${baseURL}/push/`);
  await other.triggerPush('in the other context');
  const otherReporting = await other.reportingApi(); // before the page loads: delivered reports are gone from the browser
  await otherPage.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await otherReporting.awaitReport({ type: 'csp-violation', status: 'Success' });

  await expect(otherRecording).toHaveRecordedEvent({ metadata: { Payload: 'in the other context' } });
  expect(recording.events).toEqual([]);
  expect(reportingApi.reports).toEqual([]);
  await other.dispose();
  await otherContext.close();
});

test('a collector that is down: every attempt fails, the report stays short of Success, and the timeout says so', async ({ page, reportCollector, awaitReport }) => {
  // A port nothing listens on any more: connections are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const deadEndpoint = `https://127.0.0.1:${port}/reports/main`;
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main", headers: { 'Reporting-Endpoints': `main="${deadEndpoint}"` } }));

  const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
  await expect(report).toHaveReportStatus('Queued');
  expect(report.history.map((change) => change.status).slice(0, 3)).toEqual(['Queued', 'Pending', 'Queued']);
  const error = await awaitReport({ type: 'csp-violation', status: 'Success' }, { timeout: 500 }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(BackgroundServicesTimeoutError);
  expect((error as Error).message).toMatch(/^awaitReport\(\{ type: 'csp-violation', status: 'Success' \}\): no matching report reached Success within 500ms\.\nReports \(1\):\n  1\. .* csp-violation  https:\/\/127\.0\.0\.1:\d+\/\w+\/page\/1  → main  Queued → Pending → Queued.* \(\d+ attempt\(s\)\)  \{"blockedURL"/);
  expect((error as Error).message).toContain(`main  ${deadEndpoint}`);
});
