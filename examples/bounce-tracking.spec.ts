import { test, expect } from 'playwright-background-services';

// localhost and 127.0.0.1 are two sites of one machine, with no launch flag, and a remote
// browser server reaches both through exposeNetwork: '<loopback>': the demo app on localhost
// links through 127.0.0.1, which bounces back to localhost.
const urls = (baseURL: string) => {
  const { port } = new URL(baseURL);
  return {
    start: `http://localhost:${port}/`,
    bounce: `http://127.0.0.1:${port}/bounce?to=${encodeURIComponent(`http://localhost:${port}/`)}`,
  };
};

test('Chromium flags the bouncer (every version)', async ({ page, baseURL, bounceTrackingIssues }) => {
  await page.goto(urls(baseURL!).start);
  await page.goto(urls(baseURL!).bounce);
  await expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('127.0.0.1');
});

test('"Force run" deletes the bouncer\'s state', async ({ page, baseURL, bounceTrackingSupport, forceBounceTrackingMitigations }) => {
  test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason);
  await page.goto(urls(baseURL!).start);
  await page.goto(urls(baseURL!).bounce);

  const { deletedSites } = await forceBounceTrackingMitigations({ sites: ['127.0.0.1'], endRedirectChainOf: page });
  expect(deletedSites).toEqual(['127.0.0.1']);
});
