import { describeChoice, type BrowserChoice } from '../cdp/browser.js';

/** A remote browser server, as `connectOptions` (or `PW_TEST_CONNECT_WS_ENDPOINT`) names it. */
export interface RemoteServer {
  wsEndpoint: string;
  /** `exposeNetwork`, as given: `'<loopback>'`, `'*'`, `'localhost,*.example.com'`, or unset. */
  exposeNetwork?: string;
}

/** Where the browser runs, who launched it, and what of the fixtures' launch reached it (measured). */
export interface BrowserSetup {
  /**
   * `'local'`: the fixtures launched it on this machine. `'remote'`: a browser server reached over
   * `connectOptions` (`playwright run-server`, a grid, a cloud service). `'attached'`: a browser the
   * fixtures did not launch (`chromium.connectOverCDP()`, your own `browser` fixture).
   */
  kind: 'local' | 'remote' | 'attached';
  remote?: RemoteServer;
  /**
   * Whether the fixtures' launch flags reached the browser: it trusts the report collector's
   * certificate by its pin (`--ignore-certificate-errors-spki-list`), which comes with them.
   * `run-server` without `--unsafe` drops every launch flag; a browser you started has none of them.
   */
  launchFlags: boolean;
  /** Whether the browser reaches this machine's loopback (the report collector answered). */
  reachesRunner: boolean;
  /** In words, for messages: `a remote browser server at ws://… (run-server without --unsafe: …)`. */
  description: string;
}

/** The host names `exposeNetwork` lets the remote browser reach on this machine. */
export function exposesLoopback(exposeNetwork: string | undefined): boolean {
  if (!exposeNetwork) return false;
  return exposeNetwork
    .split(',')
    .map((pattern) => pattern.trim())
    .some((pattern) => pattern === '*' || pattern === '<loopback>' || pattern === '127.0.0.1' || pattern === 'localhost');
}

/** `describeChoice`, told for each kind of set-up. */
export function describeSetup(setup: Pick<BrowserSetup, 'kind' | 'remote' | 'launchFlags'>, choice: BrowserChoice | undefined): string {
  if (setup.kind === 'remote') {
    const flags = setup.launchFlags
      ? "run-server --unsafe: the fixtures' launch flags reached it"
      : "the server dropped the fixtures' launch flags, as run-server does without --unsafe";
    return `on the remote browser server ${setup.remote!.wsEndpoint}, ${describeChoice(choice)}; ${flags}`;
  }
  if (setup.kind === 'attached')
    return 'a browser the fixtures did not launch (chromium.connectOverCDP() or your own browser fixture), so none of their launch flags reached it';
  return describeChoice(choice);
}

/** What a user of a remote server without `--unsafe` can change to get a launch flag to the browser. */
export const RUN_SERVER_FIX =
  "start the server with `npx playwright run-server --unsafe` (it then passes the fixtures' launch flags and ignoreDefaultArgs on), or run this test in a project without connectOptions";

/** What a report wait's timeout should add on a set-up where delivery is slow or refused. */
export function reportDeliveryNote(setup: BrowserSetup, shortDelay: boolean): string | undefined {
  if (!setup.launchFlags) {
    const fix = setup.kind === 'remote' ? ` Fix: ${RUN_SERVER_FIX}.` : '';
    return (
      `this browser got none of the fixtures' launch flags (${setup.description}). Without --short-reporting-delay, Chromium sends a context's first report at once and holds later ones for up to 60 s: ` +
      `give this wait a timeout above 60 s ({ timeout: 70_000 }). Without the collector's certificate pin, it uploads only over a connection that a page of the collector opened ` +
      `(reportCollector.pageWithHeaders()); reports of pages from another server stay Queued/Pending.${fix}`
    );
  }
  if (!shortDelay)
    return `reportingShortDelay is false: Chromium sends a context's first report at once and holds later ones for up to 60 s; give this wait a timeout above 60 s ({ timeout: 70_000 }).`;
  return undefined;
}
