import { stripVTControlCharacters } from 'node:util';
import type { Page } from '@playwright/test';
import { test, expect, goBack, testBackForwardCache as testPage } from 'playwright-background-services';

test.use({ backForwardCache: true });

test.describe('with the back/forward cache on', () => {
  test('a plain page is restored', async ({ page, testBackForwardCache }) => {
    await page.goto('/bfcache/plain/');
    const result = await testBackForwardCache();
    expect(result).toEqual({ url: new URL('/bfcache/plain/', page.url()).href, restored: true, reasons: [] });
    await expect(page.locator('html')).toHaveAttribute('data-bfcache', 'restored');
    await expect(result).toBeRestoredFromBackForwardCache();
    await expect(result).not.toHaveNotRestoredReason('UnloadHandlerExistsInMainFrame');
  });

  const openPopup = async (page: Page) => {
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Open popup' }).click();
    await (await popup).waitForLoadState();
  };
  interface Case {
    path: string;
    reason: string;
    type: string;
    awayUrl?: string;
    prepare?: (page: Page) => Promise<void>;
    whileAway?: (away: Page) => Promise<void>;
  }
  const cases: Case[] = [
    { path: '/bfcache/unload/', reason: 'UnloadHandlerExistsInMainFrame', type: 'PageSupportNeeded' },
    { path: '/bfcache/iframe-unload/', reason: 'UnloadHandlerExistsInSubFrame', type: 'PageSupportNeeded' },
    { path: '/bfcache/opener/', reason: 'RelatedActiveContentsExist', type: 'Circumstantial', prepare: openPopup },
    { path: '/bfcache/no-store-cookie/', reason: 'CacheControlNoStoreCookieModified', type: 'PageSupportNeeded' },
    {
      path: '/bfcache/broadcast-channel/',
      reason: 'BroadcastChannelOnMessage',
      type: 'Circumstantial',
      awayUrl: 'send.html',
      whileAway: (away) => expect(away.locator('html')).toHaveAttribute('data-ready', 'true'),
    },
    {
      path: '/bfcache/web-locks/',
      reason: 'WebLocksContention',
      type: 'PageSupportNeeded',
      awayUrl: 'contend.html',
      // The lock is granted here only once the cached page holding it has been evicted.
      whileAway: (away) => expect(away.locator('#lock')).toHaveText('granted'),
    },
  ];
  for (const { path, reason, type, awayUrl, prepare, whileAway } of cases) {
    test(`${path} is not restored: ${reason}`, async ({ page, testBackForwardCache }) => {
      await page.goto(path);
      await prepare?.(page);
      await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
      const result = await testBackForwardCache(page, { awayUrl, whileAway });
      expect(result.restored).toBe(false);
      expect(result.reasons).toContainEqual(expect.objectContaining({ reason, type }));
      await expect(result).toHaveNotRestoredReason(reason as never);
      await expect(result).not.toBeRestoredFromBackForwardCache();
    });
  }

  test('the failure message lists the reasons grouped as DevTools groups them', async ({ page, testBackForwardCache }) => {
    await page.goto('/bfcache/unload/');
    const result = await testBackForwardCache();
    const error = await expect(result)
      .toBeRestoredFromBackForwardCache()
      .catch((e: Error) => e);
    expect(stripVTControlCharacters((error as Error).message)).toBe(
      [
        'expect(result).toBeRestoredFromBackForwardCache() failed',
        '',
        'Expected: ',
        `Received: not restored (${result.url}): UnloadHandlerExistsInMainFrame`,
        '',
        'Actionable (PageSupportNeeded):',
        '  - UnloadHandlerExistsInMainFrame',
      ].join('\n'),
    );
    const other = await expect(result)
      .toHaveNotRestoredReason('WebSocket')
      .catch((e: Error) => e);
    expect(stripVTControlCharacters((other as Error).message)).toContain(
      "Expected: 'WebSocket'\nReceived: not restored for other reasons: UnloadHandlerExistsInMainFrame",
    );
  });

  test('expect(page) runs the test itself', async ({ page }) => {
    await page.goto('/bfcache/plain/');
    await expect(page).toBeRestoredFromBackForwardCache();
    await page.goto('/bfcache/unload/');
    await expect(page).toHaveNotRestoredReason('UnloadHandlerExistsInMainFrame');
  });

  test('goBack() does not hang on a restore, and says it was one', async ({ page }) => {
    await page.goto('/bfcache/plain/');
    await page.goto('/bfcache/');
    const result = await goBack(page);
    expect(result.restored).toBe(true);
    await expect(page).toHaveURL(/\/bfcache\/plain\/$/);
  });

  test('bad input: no page loaded yet', async ({ page }) => {
    await expect(testPage(page)).rejects.toThrow('testBackForwardCache(): the page is at "about:blank". Navigate to the page to test first (page.goto).');
    await expect(goBack(page)).rejects.toThrow('goBack(): there is no history entry to go back to (the page is at about:blank).');
  });
});
