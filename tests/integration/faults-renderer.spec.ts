import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  BackgroundServicesError,
  BackgroundServicesTimeoutError,
  createBackgroundServices,
  TargetClosedError,
  PageCrashedError,
} from 'playwright-background-services';
import type { BackgroundServiceEvent } from '#internal';

// Faults inside the browser (issue 13): each ends in a fast, clear error or the right recorded
// status, never a wait that runs out. Every wait below is given 30 s; each must end in under 10.
const LONG = { timeout: 30_000 };
const FAST = 10_000;

const crashed = (url: string) =>
  `The page's renderer crashed \\(${url}\\): Chromium ended its process, and the service workers running in it stopped\\. ` +
  `Playwright cannot use a crashed page again \\(page\\.goto\\(\\) and page\\.reload\\(\\) fail with "Page crashed"\\): ` +
  `the events recorded before the crash stay readable \\(recording\\.events, recording\\.save\\(\\)\\); ` +
  `open a new page for anything else, and look for the cause \\(out of memory, a crash in Chromium, a Page\\.crash command\\)\\.`;
const PUSH_URL = 'http://localhost:\\d+/push/';

/** The page's renderer crashes (DevTools' Page.crash: the command itself never answers). */
async function crashRenderer(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  void cdp.send('Page.crash').catch(() => {});
}

/** Stops the registration's running worker, as DevTools' "Stop" link does. */
async function stopWorker(page: Page, registrationId: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const running = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const version = versions.find((v) => v.registrationId === registrationId && v.status === 'activated' && v.runningStatus === 'running');
      if (version) resolve(version.versionId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopWorker', { versionId: await running });
  await cdp.detach();
}

test.describe('the renderer crashes mid-recording', () => {
  test('every wait on the page ends at once with PageCrashedError, what was recorded stays readable, later calls fail at once', async ({
    page,
    recordBackgroundService,
    triggerPush,
    awaitReport,
  }, testInfo) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    expect((await triggerPush('before the crash')).status).toBe('Success');

    const waits = {
      waitForEvent: recording.waitForEvent({ metadata: { Payload: 'never sent' } }, LONG).catch((e: Error) => e),
      triggerPush: triggerPush('hang', LONG).catch((e: Error) => e),
      awaitReport: awaitReport({ type: 'csp-violation' }, LONG).catch((e: Error) => e),
    };
    const matcher = expect(recording)
      .toHaveRecordedEvent({ metadata: { Payload: 'never sent' } }, LONG)
      .catch((e: Error) => e);
    // The push handler is inside event.waitUntil(): the crash also stops the worker mid-event.
    await recording.waitForEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'hang' } });
    const started = Date.now();
    await crashRenderer(page);

    for (const [call, error] of Object.entries(waits)) {
      const ended = await error;
      expect(ended, call).toBeInstanceOf(PageCrashedError);
      expect(ended, call).toBeInstanceOf(TargetClosedError);
      expect((ended as Error).message, call).toMatch(new RegExp(`^${crashed(PUSH_URL)}$`));
    }
    const failed = await matcher;
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(
      new RegExp(
        `toHaveRecordedEvent\\(\\{ metadata: \\{ Payload: 'never sent' \\} \\}\\) failed[\\s\\S]*\\nTimeout: 30000ms\\nStopped early: ${crashed(PUSH_URL)}\\n`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(FAST);

    // What was recorded before the crash.
    const before = [
      ['Push event dispatched', { Payload: 'before the crash' }],
      ['Push event completed', { Status: 'Success' }],
      ['Push event dispatched', { Payload: 'hang' }],
    ];
    expect(recording.events.slice(0, 3).map((event) => [event.eventName, event.metadata])).toEqual(before);
    expect(
      recording
        .toJSON()
        .slice(0, 3)
        .map((event) => event.eventName),
    ).toEqual(before.map(([name]) => name));
    const [file] = await recording.save(testInfo.outputPath('crashed'));
    const saved = JSON.parse(await readFile(file!, 'utf8')) as BackgroundServiceEvent[];
    expect(saved.slice(0, 3).map((event) => event.eventName)).toEqual(before.map(([name]) => name));
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });

    // Later calls on the crashed page: at once, the same message, led by the call.
    const later = Date.now();
    const push = await triggerPush('late', LONG).catch((e: Error) => e);
    expect(push).toBeInstanceOf(PageCrashedError);
    expect((push as Error).message).toMatch(new RegExp(`^triggerPush\\(\\): ${crashed(PUSH_URL)}$`));
    await expect(recordBackgroundService('notifications')).rejects.toThrow(new RegExp(`^record\\(\\): ${crashed(PUSH_URL)}$`));
    await expect(recording.waitForEvent({ metadata: { Payload: 'late' } }, LONG)).rejects.toThrow(new RegExp(`^${crashed(PUSH_URL)}$`));
    await expect(expect(recording).toHaveRecordedEvent({ metadata: { Payload: 'late' } }, LONG)).rejects.toThrow(/Stopped early: The page's renderer crashed/);
    expect(Date.now() - later).toBeLessThan(FAST);

    // Playwright 1.65 does not let a crashed page recover by navigating: the controller need not either.
    await expect(page.reload(LONG)).rejects.toThrow(/Page crashed/);
    await expect(page.goto('/push/', LONG)).rejects.toThrow(/Page crashed/);
  });

  test('a new page in the same context works after another page crashed', async ({ page, context, recordBackgroundService }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await crashRenderer(page);
    await expect(recording.waitForEvent({ metadata: { Payload: 'never sent' } }, LONG)).rejects.toThrow(PageCrashedError);

    const fresh = await context.newPage();
    const services = await createBackgroundServices(fresh);
    await fresh.goto(page.url());
    expect((await services.triggerPush('on the new page')).status).toBe('Success');
    await services.dispose();
  });
});

test.describe('the service worker is stopped between a trigger and its completion', () => {
  test('inside a push handler: triggerPush fails at once, naming the registration and what was logged', async ({
    page,
    backgroundServices,
    recordBackgroundService,
    triggerPush,
  }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    const { registrationId } = await backgroundServices.serviceWorkerRegistration();
    const pushing = triggerPush('hang', LONG).catch((e: Error) => e);
    await recording.waitForEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'hang' } });
    const started = Date.now();
    await stopWorker(page, registrationId);

    const error = await pushing;
    expect(Date.now() - started).toBeLessThan(FAST);
    expect(error).toBeInstanceOf(BackgroundServicesError);
    expect(error).not.toBeInstanceOf(BackgroundServicesTimeoutError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^triggerPush\\("hang"\\): the service worker at ${PUSH_URL} \\(registration ${registrationId}, version \\d+\\) stopped before the event completed: ` +
          `the browser logged "Push event dispatched", then the worker stopped while its handler was still running ` +
          `\\(ServiceWorker\\.stopWorker, DevTools' "Stop", or the browser ending it\\), and Chromium logs no "Push event completed" for an event whose worker stopped\\. ` +
          `Let the handler's event\\.waitUntil\\(\\) promise settle before stopping the worker; the next event starts it again\\.\\n` +
          `pushMessaging events since the trigger \\(1\\):\\n  1\\. .*"Push event dispatched".*\\{ Payload: "hang" \\}$`,
      ),
    );
    // Chromium logged no completion for it.
    await expect(recording).not.toHaveRecordedEvent({ eventName: 'Push event completed' });

    // The next push starts the stopped worker again, and completes.
    const outcome = await triggerPush('after the stop');
    expect(outcome.status).toBe('Success');
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'Success' } });
    expect(recording.filter({ eventName: 'Push event completed' })).toHaveLength(1);
  });

  test('a sync is confirmed at its dispatch: a stop inside its handler, or right after the trigger, changes nothing', async ({
    page,
    backgroundServices,
    recordBackgroundService,
    triggerSync,
  }) => {
    const recording = await recordBackgroundService('backgroundSync');
    await page.goto('/sync/');
    const { registrationId } = await backgroundServices.serviceWorkerRegistration();

    const hanging = await triggerSync('hang-inside', LONG);
    expect(hanging.dispatched).toMatchObject({ eventName: 'Dispatched sync event', instanceId: 'hang-inside' });
    await stopWorker(page, registrationId);

    // Stopped while the dispatch is on its way: Chromium starts the worker again and dispatches.
    const syncing = triggerSync('hang-racing', LONG);
    await stopWorker(page, registrationId);
    expect((await syncing).dispatched.instanceId).toBe('hang-racing');

    expect((await triggerSync('outbox', LONG)).dispatched.instanceId).toBe('outbox');
    await expect(page.locator('#log')).toContainText('outbox');
    await expect(recording).not.toHaveRecordedEvent({ eventName: 'Sync completed' });
  });

  test('a periodic sync too: a stop right after the trigger changes nothing', async ({ page, backgroundServices, triggerPeriodicSync }) => {
    await page.goto('/periodic-sync/');
    const { registrationId } = await backgroundServices.serviceWorkerRegistration();
    const syncing = triggerPeriodicSync('content-update', LONG);
    await stopWorker(page, registrationId);
    expect((await syncing).dispatched.instanceId).toBe('content-update');
    expect((await triggerPeriodicSync('after-the-stop', LONG)).dispatched.instanceId).toBe('after-the-stop');
    await expect(page.locator('#log')).toContainText('after-the-stop');
  });
});
