import { test, expect } from 'playwright-background-services';

// Playwright launches Chromium with the back/forward cache off; this turns it on for the file.
test.use({ backForwardCache: true });
// chrome-headless-shell has no back/forward cache at all.
test.beforeEach(({ backgroundServicesSupport: support }) => test.skip(!support.backForwardCache.supported, support.backForwardCache.reason));

test('a simple page is restored from the back/forward cache', async ({ page }) => {
  await page.goto('/bfcache/plain/');
  await expect(page).toBeRestoredFromBackForwardCache(); // DevTools' "Test back/forward cache"
});

test('an unload handler keeps a page out of the cache', async ({ page, testBackForwardCache }) => {
  await page.goto('/bfcache/unload/');
  const { restored, reasons } = await testBackForwardCache();
  expect(restored).toBe(false);
  expect(reasons).toEqual([{ type: 'PageSupportNeeded', reason: 'UnloadHandlerExistsInMainFrame' }]);
});

test('a message on a BroadcastChannel while cached evicts the page', async ({ page, testBackForwardCache }) => {
  await page.goto('/bfcache/broadcast-channel/');
  // Navigate away to a page of the same site that posts on the channel, then come back.
  const result = await testBackForwardCache(page, {
    awayUrl: 'send.html',
    whileAway: (away) => expect(away.locator('html')).toHaveAttribute('data-ready', 'true'),
  });
  await expect(result).toHaveNotRestoredReason('BroadcastChannelOnMessage');
});

test('a page that opened a popup is not restored while the popup lives', async ({ page }) => {
  await page.goto('/bfcache/opener/');
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Open popup' }).click();
  await (await popup).waitForLoadState();
  await expect(page).toHaveNotRestoredReason('RelatedActiveContentsExist');
});
