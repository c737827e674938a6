import { isExplicitChoice } from '../cdp/browser.js';
import { RUN_SERVER_FIX, type BrowserSetup } from './setup.js';
import { UnsupportedFeatureError } from '../cdp/errors.js';
import { FEATURE_TITLES, type Feature, type SupportProbe } from './probe.js';

/** What the user can change, given the feature, what the browser said, how it was chosen and where it runs. */
function fixFor(feature: Feature, reason: string, probe: SupportProbe, headlessShell: boolean, setup: BrowserSetup): string {
  const choice = probe.options.choice;
  if (reason.startsWith('not probed: ') && !setup.reachesRunner) {
    return `add exposeNetwork: '<loopback>' to connectOptions (or PW_TEST_CONNECT_EXPOSE_NETWORK='<loopback>'), so that the remote browser reaches this machine's loopback through the Playwright connection`;
  }
  if (feature === 'backForwardCache' && reason.includes('--disable-back-forward-cache')) {
    if (setup.kind === 'remote' && !setup.launchFlags) return `${RUN_SERVER_FIX}; with --unsafe, \`use: { backForwardCache: true }\` removes the flag`;
    if (setup.kind === 'attached')
      return `start that browser without --disable-back-forward-cache (a Chromium you start yourself has the cache on unless you pass it)`;
    if (probe.options.backForwardCache) {
      return `backForwardCache is already true, so the flag comes from your own launch options: remove '--disable-back-forward-cache' from launchOptions.args, and do not set launchOptions.ignoreDefaultArgs to a list without it`;
    }
    return `set \`use: { backForwardCache: true }\` (playwright.config.ts, a project or test.use()): the fixtures then launch without --disable-back-forward-cache`;
  }
  if (feature === 'reportingShortDelay') {
    if (setup.kind === 'remote' && !setup.launchFlags) return `${RUN_SERVER_FIX}; or give report waits a timeout above 60 s`;
    if (setup.kind === 'attached') return `start that browser with --short-reporting-delay, or give report waits a timeout above 60 s`;
    return `set \`use: { reportingShortDelay: true }\` (the default), or give report waits a timeout above 60 s`;
  }
  if (feature === 'bounceTrackingForceRun') return `run this test on a Chromium that still has the command (Chromium 150 and earlier)`;
  if (feature === 'networkErrorLogging') {
    if (reason.startsWith('not probed')) return `use this library's fixtures, which launch the browser trusting the report collector`;
    if (setup.kind === 'remote')
      return `none on a remote browser: run Network Error Logging tests in a project without connectOptions, on a browser the fixtures launch`;
    if (!setup.launchFlags)
      return `let the fixtures launch the browser (a project without your own browser fixture), or start yours with --ignore-certificate-errors-spki-list=<the collector's reportCollector.spkiPin>`;
  }
  if (headlessShell) {
    if (isExplicitChoice(choice)) {
      return `launch a full Chromium instead of the headless shell: remove that choice and let the fixtures pick one, or set \`use: { channel: 'chromium' }\``;
    }
    return `launch a full Chromium instead of the headless shell: \`chromium.launch({ channel: 'chromium' })\` (Playwright 1.49+), or use this library's fixtures, which do`;
  }
  return `run headed (\`npx playwright test --headed\`, under \`xvfb-run\` on a server) or on Chrome stable (\`use: { channel: 'chrome' }\`)`;
}

/**
 * Resolves when the browser supports `feature`; otherwise rejects at once with an
 * `UnsupportedFeatureError` naming the feature, the browser, how it was chosen, and the fix.
 */
export async function requireFeature(probe: SupportProbe, feature: Feature, call: string): Promise<void> {
  const error = await unsupportedFeature(probe, feature, call);
  if (error) throw error;
}

/** The error `requireFeature` would throw, or undefined when the feature is there. */
export async function unsupportedFeature(probe: SupportProbe, feature: Feature, call: string): Promise<UnsupportedFeatureError | undefined> {
  const support = await probe.feature(feature);
  if (support.supported) return undefined;
  const [identity, setup] = await Promise.all([probe.identity(), probe.setup()]);
  const reason = support.reason ?? 'the probe found it missing';
  const which = setup.reachesRunner ? `which ${identity.description} does not support` : `which could not be probed on ${identity.description}`;
  return new UnsupportedFeatureError(
    { feature, browser: identity.description, reason },
    `${call} needs ${FEATURE_TITLES[feature]}, ${which} (${setup.description}): ${reason}. ` +
      `Fix: ${fixFor(feature, reason, probe, identity.headlessShell, setup)}. ` +
      `To skip the test on such a browser instead: test.skip(!backgroundServicesSupport.${feature}.supported, backgroundServicesSupport.${feature}.reason).`,
  );
}
