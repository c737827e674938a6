import { describeChoice, isExplicitChoice } from '../cdp/browser.js';
import { UnsupportedFeatureError } from '../cdp/errors.js';
import { FEATURE_TITLES, type Feature, type SupportProbe } from './probe.js';

/** What the user can change, given the feature, what the browser said and how it was chosen. */
function fixFor(feature: Feature, reason: string, probe: SupportProbe, headlessShell: boolean): string {
  const choice = probe.options.choice;
  if (feature === 'backForwardCache' && reason.includes('--disable-back-forward-cache')) {
    return `set \`use: { backForwardCache: true }\` (playwright.config.ts or test.use()): the fixtures then launch without --disable-back-forward-cache`;
  }
  if (feature === 'bounceTrackingForceRun') return `run this test on a Chromium that still has the command (Chromium 150 and earlier)`;
  if (feature === 'networkErrorLogging' && reason.startsWith('not probed')) return `use this library's fixtures, which launch the browser trusting the report collector`;
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
  const identity = await probe.identity();
  const reason = support.reason ?? 'the probe found it missing';
  return new UnsupportedFeatureError(
    { feature, browser: identity.description, reason },
    `${call} needs ${FEATURE_TITLES[feature]}, which ${identity.description} does not support (${describeChoice(probe.options.choice)}): ${reason}. ` +
      `Fix: ${fixFor(feature, reason, probe, identity.headlessShell)}. ` +
      `To skip the test on such a browser instead: test.skip(!backgroundServicesSupport.${feature}.supported, backgroundServicesSupport.${feature}.reason).`,
  );
}
