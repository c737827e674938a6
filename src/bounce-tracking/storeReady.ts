import type { Browser, Page } from '@playwright/test';

/**
 * Chromium flags a bounce at the bounce's commit, after one read of its bounce-tracking store. That
 * store runs best-effort tasks, and a browser runs none of those until it has finished starting up
 * (its first tab loaded and idle): in a fresh browser the first flag came 0–5.4 s after the bounce
 * at load 14 on 2 cores, every later one before `goto` resolved. One throwaway bounce per browser,
 * awaited, takes that wait out of the test's assertion.
 */
const WARM_UP_CAP_MS = 15_000;
const ready = new WeakMap<Browser, Promise<void>>();

export function bounceTrackingStoreReady(page: Page): Promise<void> {
  const browser = page.context().browser();
  // A persistent context has no browser to open a throwaway context in, and a bounce in the
  // user's own profile would outlive the test.
  if (!browser) return Promise.resolve();
  let done = ready.get(browser);
  if (!done) {
    done = warmUp(browser);
    ready.set(browser, done);
  }
  return done;
}

async function warmUp(browser: Browser): Promise<void> {
  // Hosts of .test never resolve: every request of the throwaway context is answered here, and the
  // bounce is a client-side one because Chromium follows a fulfilled 302 past the route.
  const context = await browser.newContext();
  try {
    await context.route(/^http:\/\/bts-(start|end)\.test\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>bounce-tracking warm-up</title>' }),
    );
    await context.route(/^http:\/\/bts-bounce\.test\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: "<script>location.replace('http://bts-end.test/')</script>" }),
    );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flagged = new Promise<void>((resolve) => {
      cdp.on('Audits.issueAdded', ({ issue }) => {
        if (issue.code === 'BounceTrackingIssue') resolve();
      });
      timer = setTimeout(resolve, WARM_UP_CAP_MS);
    });
    await cdp.send('Audits.enable');
    await page.goto('http://bts-start.test/');
    await page.goto('http://bts-bounce.test/');
    await flagged;
    clearTimeout(timer);
  } catch {
    // A warm-up that cannot run (a closing browser) leaves the assertion to say what it saw.
  } finally {
    await context.close().catch(() => undefined);
  }
}
