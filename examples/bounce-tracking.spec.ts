import { test, expect } from 'playwright-background-services';

// The demo server answers for *.test hosts (the config maps them to 127.0.0.1), so one machine
// has several sites: site-a.test links through tracker.test, which bounces to site-b.test.
const urls = (baseURL: string) => {
  const { port } = new URL(baseURL);
  return {
    start: `http://site-a.test:${port}/`,
    bounce: `http://tracker.test:${port}/bounce?to=${encodeURIComponent(`http://site-b.test:${port}/`)}`,
  };
};

test('Chromium flags the bouncer (every version)', async ({ page, baseURL, bounceTrackingIssues }) => {
  await page.goto(urls(baseURL!).start);
  await page.goto(urls(baseURL!).bounce);
  await expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('tracker.test');
});

test('"Force run" deletes the bouncer\'s state', async ({ page, baseURL, bounceTrackingSupport, forceBounceTrackingMitigations }) => {
  test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason);
  await page.goto(urls(baseURL!).start);
  await page.goto(urls(baseURL!).bounce);

  const { deletedSites } = await forceBounceTrackingMitigations({ sites: ['tracker.test'], endRedirectChainOf: page });
  expect(deletedSites).toEqual(['tracker.test']);
});
