import { watch } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from 'playwright-background-services';

// Both workers must be running before any test goes on, so that the run proves something about
// parallel workers; every test writes down what its fixtures saw, for the outer test to compare.
async function bothWorkersStarted(workerIndex: number): Promise<void> {
  const dir = process.env.ISOLATION_BARRIER!;
  await writeFile(join(dir, `worker-${workerIndex}`), '');
  const started = async () => new Set(await readdir(dir)).size >= 2;
  if (await started()) return;
  await new Promise<void>((resolve) => {
    const finishIfStarted = () =>
      void started().then((yes) => {
        if (yes) {
          watcher.close();
          resolve();
        }
      });
    const watcher = watch(dir, finishIfStarted);
    finishIfStarted();
  });
}

for (const n of [1, 2, 3, 4, 5, 6]) {
  test(`test ${n}`, async ({ page, recordBackgroundService, triggerPush, reportCollector, awaitReport }, testInfo) => {
    await bothWorkersStarted(testInfo.workerIndex);
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await triggerPush(`payload ${n}`);
    await page.goto(reportCollector.pageWithHeaders({ csp: "script-src 'none'; report-to main" }));
    const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
    await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation' });
    testInfo.annotations.push({
      type: 'seen',
      description: JSON.stringify({
        n,
        pid: process.pid,
        collector: reportCollector.url,
        payloads: recording.events.filter((e) => e.eventName === 'Push event dispatched').map((e) => e.metadata.Payload),
        reportUrls: [report.url],
        received: reportCollector.reports.map((r) => r.url),
      }),
    });
  });
}
