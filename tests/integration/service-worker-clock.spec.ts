import type { Page } from '@playwright/test';
import { test, expect } from 'playwright-background-services';

const T0 = new Date('2030-01-01T00:00:00Z').getTime();
const HOUR = 3_600_000;

interface WorkerTime {
  source: string;
  now: number;
}

async function nextWorkerTime(page: Page, before: number): Promise<WorkerTime> {
  await page.waitForFunction((n) => (window as unknown as { workerTimes: unknown[] }).workerTimes.length > n, before);
  return page.evaluate((n) => (window as unknown as { workerTimes: WorkerTime[] }).workerTimes[n]!, before);
}

async function openClockPage(page: Page, worker: 'classic' | 'module' | 'import' = 'classic'): Promise<void> {
  await page.goto(worker === 'classic' ? '/clock/' : `/clock/?worker=${worker}`);
  await page.evaluate(() => (window as unknown as { registrationReady: Promise<unknown> }).registrationReady);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('a worker registered after install sees the fake time, moved on by fastForward', async ({ page, serviceWorkerClock, triggerPush }) => {
  await expect(serviceWorkerClock.pauseAt(T0)).rejects.toThrow(/the clock is not installed\. Call serviceWorkerClock\.install\(\) first/);
  await serviceWorkerClock.install({ time: T0 });
  await serviceWorkerClock.pauseAt(T0 + 1000);
  await openClockPage(page);
  await triggerPush('first');
  expect(await nextWorkerTime(page, 0)).toEqual({ source: 'push:first', now: T0 + 1000 });
  await serviceWorkerClock.fastForward(2 * HOUR);
  await triggerPush('second');
  expect(await nextWorkerTime(page, 1)).toEqual({ source: 'push:second', now: T0 + 1000 + 2 * HOUR });
  // The script's own top level ran under the clock too.
  await page.evaluate(() => navigator.serviceWorker.controller!.postMessage('started'));
  expect(await nextWorkerTime(page, 2)).toEqual({ source: 'started', now: T0 + 1000 });
});

for (const worker of ['module', 'import'] as const) {
  test(`a ${worker === 'module' ? 'module worker' : 'worker that importScripts its code'} sees the fake time from its first line`, async ({
    page,
    serviceWorkerClock,
    triggerPush,
  }) => {
    await serviceWorkerClock.install({ time: T0 });
    await serviceWorkerClock.pauseAt(T0 + 1000);
    await openClockPage(page, worker);
    await page.evaluate(() => navigator.serviceWorker.controller!.postMessage('started'));
    expect(await nextWorkerTime(page, 0)).toEqual({ source: 'started', now: T0 + 1000 });
    await serviceWorkerClock.fastForward(HOUR);
    await triggerPush('later');
    expect(await nextWorkerTime(page, 1)).toEqual({ source: 'push:later', now: T0 + 1000 + HOUR });
  });
}

test('a route of the test that fulfils the worker script leaves the clock in place', async ({ page, context, serviceWorkerClock, triggerPush }) => {
  let fulfilled = 0;
  await context.route('**/clock/sw.js', async (route) => {
    const response = await route.fetch();
    fulfilled++;
    await route.fulfill({ response, body: `self.fromTestRoute = true;\n${await response.text()}` });
  });
  await serviceWorkerClock.install({ time: T0 });
  await serviceWorkerClock.pauseAt(T0 + 1000);
  await openClockPage(page);
  await triggerPush('routed');
  expect(await nextWorkerTime(page, 0)).toEqual({ source: 'push:routed', now: T0 + 1000 });
  expect(fulfilled).toBeGreaterThan(0);
});

test('the fake time holds across a worker stop and start', async ({ page, context, serviceWorkerClock, triggerPush, triggerSync }) => {
  await serviceWorkerClock.install({ time: T0 });
  await serviceWorkerClock.pauseAt(T0 + 5000);
  await openClockPage(page);
  await triggerPush('before');
  expect((await nextWorkerTime(page, 0)).now).toBe(T0 + 5000);

  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const stopped = new Promise<void>((resolve) =>
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.runningStatus === 'stopped')) resolve();
    }),
  );
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await serviceWorkerClock.fastForward(HOUR);

  await triggerPush('after-stop');
  expect(await nextWorkerTime(page, 1)).toEqual({ source: 'push:after-stop', now: T0 + 5000 + HOUR });
  // Still paused: a second event after the restart sees the same time.
  await triggerSync('again');
  expect(await nextWorkerTime(page, 2)).toEqual({ source: 'sync:again', now: T0 + 5000 + HOUR });
  // The restarted script's top level too: the clock went in before it, with the state of that moment.
  await page.evaluate(() => navigator.serviceWorker.controller!.postMessage('started'));
  expect(await nextWorkerTime(page, 3)).toEqual({ source: 'started', now: T0 + 5000 + HOUR });
});

test('page.clock and the worker clock together', async ({ page, serviceWorkerClock, triggerPush }) => {
  await page.clock.install({ time: T0 });
  await serviceWorkerClock.install({ time: T0 });
  await page.clock.pauseAt(T0 + HOUR);
  await serviceWorkerClock.pauseAt(T0 + HOUR);
  await openClockPage(page);
  await triggerPush('both');
  const worker = await nextWorkerTime(page, 0);
  expect(worker.now).toBe(await page.evaluate(() => Date.now()));
  await page.clock.fastForward(HOUR);
  await serviceWorkerClock.fastForward(HOUR);
  await triggerPush('later');
  expect((await nextWorkerTime(page, 1)).now).toBe(await page.evaluate(() => Date.now()));
});

test('runFor fires the worker timers that fall due', async ({ page, serviceWorkerClock }) => {
  // Installed a minute early: a clock installed at T0 runs on, so pauseAt(T0) a millisecond later paused it at T0 + 1 once in 150 runs.
  await serviceWorkerClock.install({ time: T0 - 60_000 });
  await serviceWorkerClock.pauseAt(T0);
  await openClockPage(page);
  await page.evaluate(() => navigator.serviceWorker.controller!.postMessage('timer'));
  await serviceWorkerClock.runFor(HOUR - 1);
  await serviceWorkerClock.runFor(1);
  expect(await nextWorkerTime(page, 0)).toEqual({ source: 'timer', now: T0 + HOUR });
});

// The update check's script request bypasses context.route(); the clock leaves the script's bytes as served.
test('with the clock installed, an update check of the unchanged script makes no new version', async ({ page, context, serviceWorkerClock, triggerPush }) => {
  await serviceWorkerClock.install({ time: T0 });
  await openClockPage(page);
  const cdp = await context.newCDPSession(page);
  const versions = new Set<string>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => updated.forEach((v) => versions.add(v.versionId)));
  await cdp.send('ServiceWorker.enable');
  await serviceWorkerClock.fastForward(HOUR);
  const installingAfterUpdate = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    await registration.update();
    return registration.installing ?? registration.waiting;
  });
  expect(installingAfterUpdate).toBeNull();
  // The push round trip orders after any version the update would have made.
  await triggerPush('after-update');
  await nextWorkerTime(page, 0);
  expect(versions.size).toBe(1);
});

test('the push shim and the clock both reach the worker', async ({ page, context, pushService, serviceWorkerClock, triggerPush }) => {
  void pushService;
  await serviceWorkerClock.install({ time: T0 });
  await serviceWorkerClock.pauseAt(T0 + 1000);
  await openClockPage(page);
  await triggerPush('both');
  expect(await nextWorkerTime(page, 0)).toEqual({ source: 'push:both', now: T0 + 1000 });
  const [worker] = context.serviceWorkers();
  expect(await worker!.evaluate(() => typeof (globalThis as { __pwbsPushShim?: unknown }).__pwbsPushShim)).toBe('string');
});
