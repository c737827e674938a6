/** Base class of every error this library throws. */
export class BackgroundServicesError extends Error {
  override name = 'BackgroundServicesError';
}

/** A wait timed out; the message says what it saw meanwhile. */
export class BackgroundServicesTimeoutError extends BackgroundServicesError {
  override name = 'BackgroundServicesTimeoutError';
}

/** The browser does not implement a CDP command this helper needs. */
export class MissingCommandError extends BackgroundServicesError {
  override name = 'MissingCommandError';
  constructor(
    readonly command: string,
    readonly browser: string,
    readonly protocolMessage: string,
    advice = 'Use a Chromium build that has it, or skip this test on this browser.',
  ) {
    super(`${browser} does not implement the CDP command ${command} (${protocolMessage}). ${advice}`);
  }
}

/** The browser is not Chromium, so it has no CDP. */
export class UnsupportedBrowserError extends BackgroundServicesError {
  override name = 'UnsupportedBrowserError';
  constructor(readonly browserName: string) {
    super(
      `playwright-background-services needs Chromium (it drives the Chrome DevTools Protocol), ` +
        `but this test runs on ${browserName}. Run it in a chromium project, or set ` +
        `\`backgroundServicesUnsupportedBrowser: 'skip'\` in \`use\` to skip it on other browsers.`,
    );
  }
}

/** The page (or its browser) closed during a wait. */
export class TargetClosedError extends BackgroundServicesError {
  override name = 'TargetClosedError';
}

/** The page's renderer crashed; waits on the page end with it. */
export class PageCrashedError extends TargetClosedError {
  override name = 'PageCrashedError';
  constructor(
    readonly pageUrl: string,
    message = pageCrashedMessage(pageUrl),
  ) {
    super(message);
  }
}

function pageCrashedMessage(pageUrl: string): string {
  return (
    `The page's renderer crashed (${pageUrl}): Chromium ended its process, and the service workers running in it stopped. ` +
    `Playwright cannot use a crashed page again (page.goto() and page.reload() fail with "Page crashed"): ` +
    `the events recorded before the crash stay readable (recording.events, recording.save()); ` +
    `open a new page for anything else, and look for the cause (out of memory, a crash in Chromium, a Page.crash command).`
  );
}

/** The browser lacks a feature a helper or matcher needs; thrown before any wait. */
export class UnsupportedFeatureError extends BackgroundServicesError {
  override name = 'UnsupportedFeatureError';
  /** e.g. `notifications` */
  readonly feature: string;
  readonly browser: string;
  /** The browser's answer to the probe. */
  readonly reason: string;

  constructor(missing: { feature: string; browser: string; reason: string }, message: string) {
    super(message);
    this.feature = missing.feature;
    this.browser = missing.browser;
    this.reason = missing.reason;
  }
}

/** The installed @playwright/test lacks an internal the fixtures rely on (a newer or older Playwright than the tested range). */
export class UnsupportedPlaywrightError extends BackgroundServicesError {
  override name = 'UnsupportedPlaywrightError';
}
