import { test, expect } from 'playwright-background-services';

test.describe('with Playwright\'s default launch', () => {
  test('the cache is off, and the reason says so', async ({ page, testBackForwardCache }) => {
    await page.goto('/bfcache/plain/');
    const result = await testBackForwardCache();
    expect(result.restored).toBe(false);
    expect(result.reasons.map((r) => r.reason)).toEqual(expect.arrayContaining(['BackForwardCacheDisabled', 'BackForwardCacheDisabledByCommandLine']));
  });
});
