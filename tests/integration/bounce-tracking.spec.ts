import { stripVTControlCharacters } from 'node:util';
import { test, expect, forceBounceTrackingMitigations, recordBounceTrackingIssues, UnsupportedFeatureError } from 'playwright-background-services';

// Runs on Chromium 156 (project "tests") and on Chromium 150 (project "tests-chromium-150").
const sites = (baseURL: string) => {
  const { port } = new URL(baseURL);
  return {
    siteA: `http://site-a.localhost:${port}/`,
    bounce: `http://tracker.localhost:${port}/bounce?to=${encodeURIComponent(`http://site-b.localhost:${port}/`)}`,
    clientBounce: `http://tracker.localhost:${port}/client-bounce?to=${encodeURIComponent(`http://site-b.localhost:${port}/`)}`,
    trackerCookie: `http://tracker.localhost:${port}/`,
  };
};

test.describe('Force run', () => {
  test('deletes a tracker that bounced the user, and its cookie', async ({ page, baseURL, bounceTrackingSupport, forceBounceTrackingMitigations }) => {
    test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason);
    const urls = sites(baseURL!);
    await page.goto(urls.siteA);
    await page.goto(urls.bounce);
    await expect(page).toHaveURL(/site-b\.localhost/);
    expect(await page.context().cookies(urls.trackerCookie)).toHaveLength(1);

    const result = await forceBounceTrackingMitigations({ sites: ['tracker.localhost'], endRedirectChainOf: page });
    expect(result.deletedSites).toEqual(['tracker.localhost']);
    await expect(result).toHaveDeletedSites(['tracker.localhost']);
    expect(await page.context().cookies(urls.trackerCookie)).toEqual([]);
  });

  test('a client-side bounce is deleted too; expect(page) forces the runs itself', async ({ page, baseURL, bounceTrackingSupport }) => {
    test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason);
    const urls = sites(baseURL!);
    await page.goto(urls.siteA);
    await page.goto(urls.clientBounce);
    await expect(page).toHaveURL(/site-b\.localhost/);
    await page.goto('about:blank'); // ends the redirect chain
    await expect(page).toHaveDeletedSites(['tracker.localhost'], { timeout: 15_000 });
  });

  test('a tracker the user activated is kept, and the timeout says why', async ({ page, baseURL, bounceTrackingSupport }) => {
    test.skip(!bounceTrackingSupport.forceRun, bounceTrackingSupport.reason);
    const urls = sites(baseURL!);
    await page.goto(urls.trackerCookie);
    await page.locator('body').click(); // user activation on the tracker: never deleted
    await page.goto(urls.siteA);
    await page.goto(urls.bounce);
    const error = await forceBounceTrackingMitigations(page, { sites: ['tracker.localhost'], timeout: 2500, endRedirectChainOf: page }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^forceBounceTrackingMitigations\(\): tracker\.localhost not deleted after \d+ run\(s\) in 2500ms \(deleted: none\)\. Chromium deletes only sites that bounced without user activation/,
    );
  });
});

test.describe('where the browser has no Force run', () => {
  test('the helper names the browser and the missing command', async ({ page, baseURL, bounceTrackingSupport, backgroundServicesSupport: support }) => {
    test.skip(bounceTrackingSupport.forceRun, `${bounceTrackingSupport.browser} has Force run`);
    expect(bounceTrackingSupport.reason).toBe(
      `${bounceTrackingSupport.browser} has no Storage.runBounceTrackingMitigations (DevTools' "Force run"): Chromium 156 compiled it out. Chromium 150 has it (scripts/install-chromium-150.sh).`,
    );
    await page.goto(sites(baseURL!).siteA);
    const error = await forceBounceTrackingMitigations(page).catch((e: Error) => e);
    // Said at once, from the probe: the feature, the browser, how it was chosen, the fix.
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect((error as Error).message).toBe(
      `forceBounceTrackingMitigations() needs Bounce tracking "Force run", which ${support.browser.description} does not support (${support.browser.chosenBy}): ` +
        `the browser has no Storage.runBounceTrackingMitigations (DevTools' "Force run"); Chromium 156 compiled it out and Chromium 150 has it. ` +
        `Fix: run this test on a Chromium that still has the command (Chromium 150 and earlier). ` +
        `To skip the test on such a browser instead: test.skip(!backgroundServicesSupport.bounceTrackingForceRun.supported, backgroundServicesSupport.bounceTrackingForceRun.reason).`,
    );
  });
});

test.describe('flagged bounce trackers (every version)', () => {
  test("the Issues panel's BounceTrackingIssue is recorded", async ({ page, baseURL, bounceTrackingIssues }) => {
    const urls = sites(baseURL!);
    await page.goto(urls.siteA);
    await page.goto(urls.bounce);
    await expect(page).toHaveURL(/site-b\.localhost/);
    await expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('tracker.localhost');
    await expect(bounceTrackingIssues).not.toHaveFlaggedBounceTracker('site-a.localhost');
    const error = await expect(bounceTrackingIssues)
      .toHaveFlaggedBounceTracker('other.localhost', { timeout: 200 })
      .catch((e: Error) => e);
    expect(stripVTControlCharacters((error as Error).message)).toBe(
      [
        "expect(bounceTrackingIssues).toHaveFlaggedBounceTracker('other.localhost') failed",
        '',
        "Expected: 'other.localhost'",
        'Received: flagged only: tracker.localhost',
        'Timeout: 200ms',
        '',
        'Bounce tracking issues: [tracker.localhost]',
      ].join('\n'),
    );
  });

  // A browser flags nothing until it has finished starting up (0–5 s after launch, more on a busy
  // machine); the recorder's first use in a browser waits that out with a bounce of its own.
  test('in a browser launched a moment ago, the bounce is flagged at once', async ({ playwright, launchOptions, baseURL }) => {
    const browser = await playwright.chromium.launch(launchOptions);
    try {
      const page = await browser.newPage();
      const issues = await recordBounceTrackingIssues(page);
      const urls = sites(baseURL!);
      await page.goto(urls.siteA);
      await page.goto(urls.bounce);
      await expect(issues).toHaveFlaggedBounceTracker('tracker.localhost', { timeout: 1000 });
      await issues.dispose();
    } finally {
      await browser.close();
    }
  });
});
