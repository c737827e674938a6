import { randomUUID } from 'node:crypto';
import { test, expect } from 'playwright-background-services';

// Chromium's first update check in a browser starts its fetch about 3 s late: more than the 5 s
// expect timeout on a loaded machine.
test.use({ backgroundServicesTimeout: 15_000 });

test('workbox-window: a new version waits, the page prompts, a click makes it control the page', async ({ page, request, serviceWorkerPane }) => {
  // A version counter of this test's own on the demo server (fixtures/sw-update.mjs).
  const id = randomUUID();
  await page.goto(`/sw-update/workbox-window.html?id=${id}`);
  await expect(page.locator('#version')).toHaveText('1');

  // The server now serves v2; DevTools' "Update" installs it, and it waits behind v1.
  expect((await request.get(`/sw-update/bump?id=${id}`)).ok()).toBe(true);
  expect((await serviceWorkerPane.update()).outcome).toBe('waiting');
  await expect(page).toHaveServiceWorker({ state: 'waiting' });

  // workbox-window's "waiting" event shows the prompt; its button sends SKIP_WAITING (messageSkipWaiting()).
  await expect(page.getByRole('alert')).toContainText('A new version is available');
  await page.getByRole('button', { name: 'Update now' }).click();
  await expect(page.locator('#version')).toHaveText('2');
  await expect(page).not.toHaveServiceWorker({ state: 'waiting' });
});
