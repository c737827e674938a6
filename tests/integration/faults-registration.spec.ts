import type { Page } from '@playwright/test';
import { test, expect, BackgroundServicesError, BackgroundServicesTimeoutError } from 'playwright-background-services';

// Each fault must end well before this: a timeout would take 30 s.
const TIMEOUT = 30_000;
const FAST = 10_000;
const FAULTS = String.raw`http://localhost:\d+/faults/install-fails/`;

test.describe.configure({ timeout: 60_000 });

/** The error a call rejects with, and how long it took. */
async function failure(call: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await call.then(
    () => new Error('expected the call to fail, but it resolved'),
    (e: Error) => e,
  );
  return { error, ms: Date.now() - started };
}

async function unregister(page: Page, scope: string): Promise<void> {
  expect(await page.evaluate(async (s) => (await navigator.serviceWorker.getRegistration(s))?.unregister(), scope)).toBe(true);
}

test.describe('a worker that fails to install', () => {
  test('its install handler rejects: triggerPush fails fast with the script and what Chromium reported', async ({ page, triggerPush }) => {
    await page.goto('/faults/install-fails/?worker=rejects');
    const { error, ms } = await failure(triggerPush('hello', { timeout: TIMEOUT }));
    expect(error).toBeInstanceOf(BackgroundServicesError);
    expect(error).not.toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^triggerPush\("hello"\): the service worker ${FAULTS}sw-rejects\.js failed to install \(registration \d+, scope ${FAULTS}\), so it never became active\. ` +
          String.raw`Chromium reported: ServiceWorker failed to install: ServiceWorker failed to handle event \(event\.waitUntil Promise rejected\); ` +
          String.raw`Uncaught \(in promise\) Error: install rejected on purpose at ${FAULTS}sw-rejects\.js:3\. ` +
          String.raw`Fix the script: its top-level code and its install handler \(event\.waitUntil\) must not throw or reject\.$`,
      ),
    );
    expect(ms).toBeLessThan(FAST);
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'error');
  });

  test('its script throws at top level: serviceWorkerRegistration() names the error and its line', async ({ page, backgroundServices }) => {
    await page.goto('/faults/install-fails/?worker=throws');
    // The page has seen the failure before the call: the call fails as fast.
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'error');
    const { error, ms } = await failure(backgroundServices.serviceWorkerRegistration({ timeout: TIMEOUT }));
    expect(error).not.toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^serviceWorkerRegistration\(\): the service worker ${FAULTS}sw-throws\.js failed to install \(registration \d+, scope ${FAULTS}\), so it never became active\. ` +
          String.raw`Chromium reported: Uncaught Error: evaluation failed on purpose at ${FAULTS}sw-throws\.js:3\. Fix the script: .*$`,
      ),
    );
    expect(ms).toBeLessThan(FAST);
  });

  test('its script is missing (404): Chromium reports nothing, so the wait times out and says what a worker that never starts means', async ({
    page,
    triggerPush,
  }) => {
    await page.goto('/faults/install-fails/?worker=missing');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'error');
    const { error } = await failure(triggerPush('hello', { timeout: 1500 }));
    expect(error).toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^triggerPush\("hello"\): no active service worker registration for origin http://localhost:\d+ within 1500ms\. ` +
          String.raw`Registrations seen: ${FAULTS} \(id \d+, new, stopped\)\. .* A worker that stays "new" and never starts usually means its script could not be fetched \(a 404 or a network error: register\(\) rejects in the page, and Chromium reports nothing to DevTools\)\.$`,
      ),
    );
  });

  test('a page that registers again after a failed install gets the new worker, not the error', async ({ page, triggerPush }) => {
    await page.goto('/faults/install-fails/?worker=rejects&retry=ok');
    const outcome = await triggerPush('hello', { timeout: TIMEOUT });
    expect(outcome.status).toBe('Success');
    expect(outcome.registration.scriptURL).toMatch(new RegExp(String.raw`^${FAULTS}sw-ok\.js$`));
    await expect(page.locator('#log')).toContainText('Retrying with sw-ok.js.');
  });

  test('an update that fails to install leaves the active worker in use', async ({ page, triggerPush }) => {
    await page.goto('/faults/install-fails/?worker=ok');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    const update = await page.evaluate(() =>
      (window as unknown as { registerWorker(name: string): Promise<void> }).registerWorker('rejects').then(
        () => 'installed',
        (e: Error) => e.message,
      ),
    );
    expect(update).toMatch(/sw-rejects\.js became redundant: its install failed$/);
    const outcome = await triggerPush('after the failed update', { timeout: TIMEOUT });
    expect(outcome.status).toBe('Success');
    expect(outcome.registration.scriptURL).toMatch(new RegExp(String.raw`^${FAULTS}sw-ok\.js$`));
  });
});

test.describe('a worker unregistered', () => {
  test('before the call: triggerPush fails fast, naming the registration', async ({ page, triggerPush }) => {
    await page.goto('/faults/install-fails/?worker=ok');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    await unregister(page, '/faults/install-fails/');
    const { error, ms } = await failure(triggerPush('hello', { timeout: TIMEOUT }));
    expect(error).not.toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^triggerPush\("hello"\): the service worker registration for ${FAULTS} \(id \d+\) was unregistered \(registration\.unregister\(\), or DevTools' Unregister\), ` +
          String.raw`and no other registration of http://localhost:\d+ is being installed\. Let the page register its service worker again \(reload it\) before this call\.$`,
      ),
    );
    expect(ms).toBeLessThan(FAST);
  });

  test('while serviceWorkerRegistration() waits for it to activate: the wait fails fast', async ({ page, backgroundServices }) => {
    await page.goto('/faults/install-fails/?worker=stuck');
    const waiting = failure(backgroundServices.serviceWorkerRegistration({ timeout: TIMEOUT }));
    await expect(page.locator('#sw-status')).toHaveText('registering sw-stuck.js…');
    await unregister(page, '/faults/install-fails/');
    const { error, ms } = await waiting;
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^serviceWorkerRegistration\(\): the service worker registration for ${FAULTS} \(id \d+\) was unregistered \(registration\.unregister\(\), or DevTools' Unregister\), and no other`,
      ),
    );
    expect(ms).toBeLessThan(FAST);
  });

  test('then registered again by its controlled page: Chromium revives the same registration, and the wait takes it', async ({ page, backgroundServices }) => {
    await page.goto('/faults/install-fails/?worker=ok');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    const first = await backgroundServices.serviceWorkerRegistration();
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())!.unregister();
      await navigator.serviceWorker.register('./sw-ok.js');
    });
    const second = await backgroundServices.serviceWorkerRegistration({ timeout: TIMEOUT });
    expect(second).toEqual(first);
  });

  test('mid-event, by its controlled page: Chromium still logs the completion of a handler that settles', async ({
    page,
    triggerPush,
    recordBackgroundService,
  }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/faults/install-fails/?worker=ok');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    const pushed = triggerPush('slow 1500', { timeout: TIMEOUT });
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'slow 1500' } });
    await unregister(page, '/faults/install-fails/');
    expect(recording.events.map((e) => e.eventName)).toEqual(['Push event dispatched']);
    expect((await pushed).status).toBe('Success');
  });

  test('by its own push handler: the push still completes', async ({ page, triggerPush, backgroundServices }) => {
    await page.goto('/faults/install-fails/?worker=ok');
    const outcome = await triggerPush('unregister', { timeout: TIMEOUT });
    expect(outcome.status).toBe('Success');
    const { error } = await failure(backgroundServices.serviceWorkerRegistration({ timeout: TIMEOUT }));
    expect(error.message).toMatch(/^serviceWorkerRegistration\(\): the service worker registration for .* was unregistered/);
  });

  test('mid-event on a handler that never settles: the timeout says it was unregistered and when Chromium gives up', async ({
    page,
    triggerPush,
    recordBackgroundService,
  }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    const pushed = failure(triggerPush('hang', { timeout: 4000 }));
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'hang' } });
    await unregister(page, '/push/');
    const { error } = await pushed;
    expect(error).toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      /^triggerPush\("hang"\): dispatched to the service worker at http:\/\/localhost:\d+\/push\/ \(registration \d+\), but the browser did not log "Push event completed" within 4000ms \(it did log "Push event dispatched"\)\. The registration was unregistered after the dispatch: Chromium still logs the completion once the handler settles, and "Timeout" about 100 s after the dispatch if it never does\. The handler may still be running: .*\npushMessaging events since the trigger \(1\):\n {2}1\. .*"Push event dispatched".*\{ Payload: "hang" \}$/s,
    );
  });

  test('mid-event, then its worker stopped: the trigger fails at once, since Chromium logs nothing more', async ({
    page,
    triggerPush,
    recordBackgroundService,
  }) => {
    const recording = await recordBackgroundService('pushMessaging');
    await page.goto('/push/');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    const pushed = failure(triggerPush('hang', { timeout: TIMEOUT }));
    await expect(recording).toHaveRecordedEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'hang' } });
    await unregister(page, '/push/');
    const started = Date.now();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const { error } = await pushed;
    expect(error).not.toBeInstanceOf(BackgroundServicesTimeoutError);
    expect(error.message).toMatch(
      /^triggerPush\("hang"\): the service worker registration for http:\/\/localhost:\d+\/push\/ \(id \d+\) was unregistered and its worker stopped, so Chromium will log nothing more for it \(it did log "Push event dispatched"\)\.\npushMessaging events since the trigger \(1\):\n {2}1\. .*"Push event dispatched".*\{ Payload: "hang" \}$/s,
    );
    expect(Date.now() - started).toBeLessThan(FAST);
    await cdp.detach();
  });
});
