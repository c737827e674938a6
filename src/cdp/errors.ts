/** Base class of every error this library throws, so callers can tell them apart. */
export class BackgroundServicesError extends Error {
  override name = 'BackgroundServicesError';
}

/** A wait ran out of time; the message says what was waited for and what was seen instead. */
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

/** Playwright drives a browser other than Chromium, which has no CDP. */
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

/** The page (or its browser) went away while something was waiting on it. */
export class TargetClosedError extends BackgroundServicesError {
  override name = 'TargetClosedError';
}

/**
 * The page's renderer process crashed (Playwright's page 'crash' event): every wait on the page
 * ends with it, and so does every later call, since Playwright cannot use a crashed page again.
 */
export class PageCrashedError extends TargetClosedError {
  override name = 'PageCrashedError';
  constructor(
    /** The page's URL when its renderer crashed. */
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

/**
 * The browser lacks a feature a helper or matcher needs (the headless shell has no notification
 * service, Playwright's launch turns the back/forward cache off, …). Thrown at once, never after
 * a wait; the message names the feature, the browser, how it was chosen, and the fix.
 */
export class UnsupportedFeatureError extends BackgroundServicesError {
  override name = 'UnsupportedFeatureError';
  /** The probe's name for it: `notifications`, `backForwardCache`, … */
  readonly feature: string;
  /** `chrome-headless-shell 156.0.8078.114` */
  readonly browser: string;
  /** What the browser answered when the probe tried it. */
  readonly reason: string;

  constructor(missing: { feature: string; browser: string; reason: string }, message: string) {
    super(message);
    this.feature = missing.feature;
    this.browser = missing.browser;
    this.reason = missing.reason;
  }
}
