import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import {
  test,
  expect,
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  createBackgroundServices,
  TargetClosedError,
} from 'playwright-background-services';
import { resolveChromiumExecutable } from '#internal';

const execFileAsync = promisify(execFile);

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
  const closed =
    'was closed: its browser disconnected \\(the browser process ended, or the connection to the remote browser server dropped\\)\\. What was recorded stays readable\\.';
  expect((error as Error).message).toMatch(new RegExp(`^The page \\(http://localhost:\\d+/push/\\) ${closed}$`));
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(services.triggerPush('late')).rejects.toThrow(new RegExp(`^triggerPush\\(\\): The page \\(http://localhost:\\d+/push/\\) ${closed}$`));
  await services.dispose();
  await server.close().catch(() => {});
});

test("contexts never see each other's events or reports", async ({ page, browser, recordBackgroundService, reportCollector, reportingApi, baseURL }) => {
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

test('a collector that is down: every attempt fails, the report stays short of Success, and the timeout says so', async ({
  page,
  reportCollector,
  awaitReport,
}) => {
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
  expect((error as Error).message).toMatch(
    /^awaitReport\(\{ type: 'csp-violation', status: 'Success' \}\): no matching report reached Success within 500ms\.\nReports \(1\):\n {2}1\. .* csp-violation {2}https:\/\/127\.0\.0\.1:\d+\/\w+\/page\/1 {2}→ main {2}Queued → Pending → Queued.* \(\d+ attempt\(s\)\) {2}\{"blockedURL"/,
  );
  expect((error as Error).message).toContain(`main  ${deadEndpoint}`);
});

test('a collector restarted between two reports: the second still reaches Success, and the first is kept', async ({ page, reportCollector, awaitReport }) => {
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', url: /\/page\/1$/ });

  await reportCollector.restart();
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));

  const second = await awaitReport({ type: 'csp-violation', url: /\/page\/2$/, status: 'Success' });
  expect(second.history.map((change) => change.status)).toEqual(['Queued', 'Pending', 'Success']);
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', url: /\/page\/2$/ });
  expect(reportCollector.reports.map((report) => new URL(report.url).pathname.split('/').pop())).toEqual(['1', '2']);
});

test('a report made while the collector is down fails its attempt, stays Queued, and arrives once the collector is back', async ({
  page,
  reportCollector,
  awaitReport,
}) => {
  // The page comes from the collector: load it first, and cause the violation while the collector is down.
  await page.goto(
    reportCollector.pageWithHeaders({ csp: "img-src 'none'; report-to main", html: '<!doctype html><title>Images blocked</title><body></body>' }),
  );
  await reportCollector.restart({
    whileDown: async () => {
      await page.evaluate(() => {
        const image = new Image();
        image.src = '/blocked.png';
        document.body.append(image);
      });
      const report = await awaitReport({ type: 'csp-violation', status: 'Pending' });
      await expect(report).toHaveReportStatus('Queued');
      const error = await awaitReport({ type: 'csp-violation', status: 'Success' }, { timeout: 200 }).catch((e: Error) => e);
      expect((error as Error).message).toMatch(
        /^awaitReport\(\{ type: 'csp-violation', status: 'Success' \}\): no matching report reached Success within 200ms\.\nReports \(1\):\n {2}1\. .* csp-violation {2}https:\/\/127\.0\.0\.1:\d+\/\w+\/page\/1 {2}→ main {2}Queued → Pending → Queued/,
      );
      expect(reportCollector.reports).toEqual([]);
    },
  });

  const delivered = await awaitReport({ type: 'csp-violation', status: 'Success' });
  // One failed attempt or more while it was down (Chromium retries every ~100 ms with the short reporting delay), then one that succeeds.
  const statuses = delivered.history.map((change) => change.status);
  expect(statuses.slice(0, 3)).toEqual(['Queued', 'Pending', 'Queued']);
  expect(statuses.slice(-2)).toEqual(['Pending', 'Success']);
  expect(statuses.join(' ')).toMatch(/^Queued( Pending Queued)+ Pending Success$/);
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', body: { blockedURL: /\/blocked\.png$/ } });
  expect(reportCollector.reports).toHaveLength(1);
});

test('a restart whose whileDown throws still brings the collector back, then rethrows', async ({ page, reportCollector }) => {
  const error = await reportCollector.restart({ whileDown: () => Promise.reject(new Error('the test step failed')) }).catch((e: Error) => e);
  expect((error as Error).message).toBe('the test step failed');
  await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
  await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
});

test.describe('save() to a folder that cannot be written', () => {
  test('a file where a folder should be: a clear error naming it, nothing half-written, the events still there to save elsewhere', async ({
    page,
    recordBackgroundService,
    triggerPush,
  }, testInfo) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush('kept');
    const blocker = testInfo.outputPath('not-a-folder');
    await mkdir(testInfo.outputPath(), { recursive: true });
    await writeFile(blocker, 'a file');

    for (const dir of [join(blocker, 'saved'), blocker]) {
      const error = await recording.save(dir).catch((e: Error) => e);
      expect(error).toBeInstanceOf(BackgroundServicesError);
      expect((error as Error).message).toBe(
        `recording.save(): cannot write to ${resolve(dir)}: ${blocker} is a file, not a directory (${dir === blocker ? 'EEXIST' : 'ENOTDIR'}). ` +
          "Nothing was saved, and the events are still in memory: pass a folder this process can write, e.g. testInfo.outputPath('background-services').",
      );
    }
    const files = await recording.save(testInfo.outputPath('saved'));
    expect(await readdir(testInfo.outputPath('saved'))).toEqual(files.map((file) => file.split('/').pop()));
    expect(JSON.parse(await readFile(files[0]!, 'utf8'))).toEqual(recording.toJSON());
  });

  test('a folder without write permission: the CLI names it and the reason', async ({}, testInfo) => {
    // Root writes anywhere: run the command as another user when this runs as root.
    const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const cli = resolve('dist/cli.js');
    const readable = await execFileAsync(process.execPath, [cli, '--help'], asOther).then(
      () => true,
      () => false,
    );
    test.skip(!readable, `user ${JSON.stringify(asOther)} cannot run ${cli} (a parent folder is private): nothing to check here`);
    const locked = testInfo.outputPath('locked');
    await mkdir(locked, { recursive: true, mode: 0o755 });
    await chmod(locked, process.getuid?.() === 0 ? 0o755 : 0o555);
    const saved = resolve('fixtures/recordings/pushMessaging-20261121T054403.json');
    const out = join(locked, 'timeline.html');
    const error = await execFileAsync(process.execPath, [cli, 'view', saved, '--out', out], asOther).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1, stderr: `Cannot write ${out}: permission denied (EACCES). Pass --out with a path this process can write.\n` });
  });
});
