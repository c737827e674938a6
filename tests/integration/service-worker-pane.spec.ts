import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, BackgroundServicesError, BackgroundServicesTimeoutError } from 'playwright-background-services';
import { failureOf } from '../support/failureOf.js';

// One worker version counter per test on the demo server: parallel workers and --repeat-each do not share it.
async function openUpdateDemo(page: Page): Promise<{ id: string; bump: () => Promise<void> }> {
  const id = randomUUID();
  await page.goto(`/sw-update/?id=${id}`);
  await page.evaluate(() => (window as unknown as { registrationReady: Promise<string> }).registrationReady);
  return {
    id,
    bump: async () => {
      const response = await page.request.get(`/sw-update/bump?id=${id}`);
      expect(response.ok()).toBe(true);
    },
  };
}

// Chromium's first update check in a browser starts its fetch about 3 s late (measured on an idle
// browser, page.evaluate(registration.update()) alone too); on this two-core machine shared with
// other runs, more than the 5 s expect timeout.
test.use({ backgroundServicesTimeout: 15_000 });

const servedVersion = (page: Page) => page.evaluate(() => fetch('/sw-update/version').then((r) => r.text()));

test.describe('serviceWorkerPane', () => {
  test('update() of a byte-identical script resolves "no-update" and adds no version', async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    const before = serviceWorkerPane.versions().length;
    const result = await serviceWorkerPane.update();
    expect(result.outcome).toBe('no-update');
    expect(result.version).toBeUndefined();
    expect(serviceWorkerPane.versions()).toHaveLength(before);
  });

  test('update() of a changed script resolves "waiting"; skipWaiting() activates it and it controls the page', async ({ page, serviceWorkerPane }) => {
    const demo = await openUpdateDemo(page);
    expect(await servedVersion(page)).toBe('1');
    await demo.bump();
    const update = await serviceWorkerPane.update();
    expect(update.outcome).toBe('waiting');
    expect(update.version?.status).toBe('installed');
    expect(update.version?.history).toEqual(expect.arrayContaining(['installing/running', 'installed/running']));
    // The old version still answers while the new one waits.
    expect(await servedVersion(page)).toBe('1');

    const activated = await serviceWorkerPane.skipWaiting();
    expect(activated.versionId).toBe(update.version?.versionId);
    expect(activated.status).toBe('activated');
    const old = serviceWorkerPane.versions().find((v) => v.versionId !== activated.versionId && v.registrationId === activated.registrationId);
    const statuses = old?.history.map((step) => step.split('/')[0]).filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['new', 'installing', 'installed', 'activating', 'activated', 'redundant']);
    expect(old?.status).toBe('redundant');
    expect(await servedVersion(page)).toBe('2');
    // Checked again: unchanged now.
    expect((await serviceWorkerPane.update()).outcome).toBe('no-update');
  });

  test('skipWaiting() without a waiting version fails, naming what it saw', async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    const error = await serviceWorkerPane.skipWaiting().catch((e: Error) => e);
    expect(error).toBeInstanceOf(BackgroundServicesError);
    expect((error as Error).message).toMatch(
      /^serviceWorkerPane\.skipWaiting\(\): no waiting version at http:\/\/localhost:\d+\/sw-update\/ \(registration \d+\); versions seen: #\d+ activated, running\. Serve a new script and call update\(\) first/,
    );
  });

  test('stop() stops the worker; a push starts it again and is handled', async ({ page, serviceWorkerPane, triggerPush }) => {
    await openUpdateDemo(page);
    await serviceWorkerPane.stop();
    const [version] = serviceWorkerPane.versions();
    expect(version?.runningStatus).toBe('stopped');
    const outcome = await triggerPush('after stop');
    expect(outcome.status).toBe('Success');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { workerMessages: unknown[] }).workerMessages))
      .toContainEqual({ version: 1, push: 'after stop' });
    expect(serviceWorkerPane.versions()[0]?.history).toEqual(expect.arrayContaining(['activated/stopped', 'activated/starting', 'activated/running']));
  });

  test('start() after stopAll() runs the active version again', async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    await serviceWorkerPane.stopAll();
    expect(serviceWorkerPane.versions().every((v) => v.runningStatus === 'stopped')).toBe(true);
    const started = await serviceWorkerPane.start();
    expect(started.runningStatus).toBe('running');
    expect(started.status).toBe('activated');
  });

  test('unregister() resolves once the registration is deleted; the page then has none', async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    await serviceWorkerPane.unregister();
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((list) => list.length))).toBe(0);
    const error = await serviceWorkerPane.update({ timeout: 1500 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BackgroundServicesError);
    expect((error as Error).message).toContain('was unregistered');
  });

  test("setBypassForNetwork(true) sends the page's fetches to the network, past the worker", async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    expect(await servedVersion(page)).toBe('1');
    await serviceWorkerPane.setBypassForNetwork(true);
    // The worker answers /sw-update/version; the server does not have it.
    expect(await page.evaluate(() => fetch('/sw-update/version').then((r) => r.status))).toBe(404);
    await serviceWorkerPane.setBypassForNetwork(false);
    expect(await servedVersion(page)).toBe('1');
  });

  test('setUpdateOnReload(true) installs a changed script on reload, activated at once', async ({ page, serviceWorkerPane }) => {
    const demo = await openUpdateDemo(page);
    await serviceWorkerPane.setUpdateOnReload(true);
    await demo.bump();
    await page.reload();
    await expect.poll(() => servedVersion(page)).toBe('2');
    expect(serviceWorkerPane.versions().filter((v) => v.status === 'activated')).toHaveLength(1);
  });

  test('a timeout names what was seen', async ({ page, serviceWorkerPane }) => {
    await page.goto('/');
    const error = await serviceWorkerPane.start({ timeout: 300 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BackgroundServicesTimeoutError);
    expect((error as Error).message).toMatch(
      /^serviceWorkerPane\.start\(\): no active service worker registration for origin http:\/\/localhost:\d+ within 300ms\. Registrations seen: none\./,
    );
  });
});

test.describe('toHaveServiceWorker', () => {
  test('passes once a version is waiting, and under .not before that', async ({ page, serviceWorkerPane }) => {
    const demo = await openUpdateDemo(page);
    await expect(page).toHaveServiceWorker({ state: 'activated', runningStatus: 'running', scope: '/sw-update/' });
    await expect(page).not.toHaveServiceWorker({ state: 'waiting' });
    await demo.bump();
    // Not awaited: the matcher waits for the browser's own report of the new version.
    const update = serviceWorkerPane.update();
    await expect(page).toHaveServiceWorker({ state: 'waiting' });
    expect((await update).outcome).toBe('waiting');
  });

  test('fails naming the versions seen and their lifecycle', async ({ page, serviceWorkerPane }) => {
    await openUpdateDemo(page);
    const [version] = serviceWorkerPane.versions();
    const message = await failureOf(expect(page).toHaveServiceWorker({ state: 'waiting' }, { timeout: 300 }));
    const scope = new URL('/sw-update/', page.url()).href;
    expect(message.split('\n').slice(0, 7)).toEqual([
      "expect(page).toHaveServiceWorker({ state: 'waiting' }) failed",
      '',
      "Expected: { state: 'waiting' }",
      `Received: #${version!.versionId} activated, running`,
      'Timeout: 300ms',
      '',
      'Service worker versions (1):',
    ]);
    expect(message.split('\n')[7]).toMatch(
      new RegExp(
        `^  #${version!.versionId}  ${scope}  ${scope}sw\\.js\\?id=[0-9a-f-]+  new/stopped → .*installing/.* → installed/running → activating/running → activated/running$`,
      ),
    );
  });

  test('.not fails while a matching version exists', async ({ page }) => {
    await openUpdateDemo(page);
    const message = await failureOf(expect(page).not.toHaveServiceWorker({ state: 'activated' }, { timeout: 200 }));
    expect(message.split('\n').slice(0, 5)).toEqual([
      "expect(page).not.toHaveServiceWorker({ state: 'activated' }) failed",
      '',
      "Expected: not { state: 'activated' }",
      expect.stringMatching(/^Received: #\d+ activated, running \(http:\/\/localhost:\d+\/sw-update\/\)$/),
      'Timeout: 200ms',
    ]);
  });

  test('works on a page without the controller, and names a bad filter', async ({ page }) => {
    await openUpdateDemo(page);
    await expect(page).toHaveServiceWorker({ state: 'activated' });
    await expect(expect(page).toHaveServiceWorker({ state: 'ready' } as never)).rejects.toThrow(
      'expect(page).toHaveServiceWorker(): state must be one of new, installing, installed, waiting, activating, activated, redundant; got "ready".',
    );
  });
});
