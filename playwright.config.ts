import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { BackgroundServicesOptions } from 'playwright-background-services';

const port = Number(process.env.DEMO_PORT ?? 43210);

// Chromium 150 still has Storage.runBounceTrackingMitigations (156 compiled it out): the
// bounce-tracking specs also run on it when it is there (scripts/install-chromium-150.sh).
const chromium150 = process.env.CHROMIUM_150 ?? '.browsers/chromium-150/usr/lib/chromium/chromium';
const hasChromium150 = existsSync(chromium150);
if (!hasChromium150 && !process.env.PLAYWRIGHT_WORKER_ID_QUIET) {
  process.env.PLAYWRIGHT_WORKER_ID_QUIET = '1';
  console.warn(
    `\n!!! Chromium 150 not found at ${chromium150}: bounce tracking "Force run" is NOT exercised in this run.\n` +
      `!!! Install it with: bash scripts/install-chromium-150.sh (or set CHROMIUM_150=/path/to/chromium)\n`,
  );
}
const bounceSpecs = /bounce-tracking\.spec\.ts$/;
// The rest of the browser matrix, each where this machine has it: Playwright's own default for a
// headless run (chrome-headless-shell: tests/integration/headless-shell.spec.ts pins its errors,
// the examples skip what it lacks), and a headed Chromium (scripts/playwright.mjs starts Xvfb).
const headlessShell = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
const hasHeadlessShell = existsSync(headlessShell);
const hasDisplay = !!process.env.DISPLAY;
// Chromium's 5-minute clocks run once, in a project of their own that comes first: the wait starts
// with the run and the other worker takes the rest meanwhile. In CI or with RUN_SLOW=1; RUN_SLOW=0
// leaves them out in CI too (.ci/run runs them in a process of its own, beside the other phases:
// they wait, they do not work).
const notSlow = /@slow/;
// Tests tagged @once assert what neither the browser's build nor Playwright's version changes (a
// push service's refusals, what the desktop is handed, the bad-input table): the default browser runs them, the older
// browser and the peer copies (scripts/test-peer.mjs) do not.
const once = /@once/;
const runSlow = process.env.RUN_SLOW ? process.env.RUN_SLOW !== '0' : !!process.env.CI;
// The headless shell has no notification service: desktopNotifications fails at once there
// (tests/integration/desktop-notifications.spec.ts pins that error), so its example is left out.
const desktopExamples = /notification-click\.spec\.ts$/;
// examples/web-server/ has a config of its own (its backend starts under webServer).
const webServerExamples = /examples[\\/]web-server[\\/]/;

export default defineConfig<BackgroundServicesOptions>({
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // The machines this runs on have two cores.
  workers: 2,
  retries: 0,
  // Tests tagged @slow wait for Chromium's own clocks (the 5-minute report garbage collection):
  // the examples-slow project runs them, in CI or with RUN_SLOW=1.
  grepInvert: notSlow,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node fixtures/server.mjs --port ${port}`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
  },
  projects: [
    ...(runSlow ? [{ name: 'examples-slow', testDir: 'examples', testIgnore: webServerExamples, grep: notSlow, grepInvert: [] }] : []),
    { name: 'examples', testDir: 'examples', testIgnore: webServerExamples },
    { name: 'tests', testDir: 'tests/integration' },
    ...(hasHeadlessShell
      ? [
          {
            name: 'examples-headless-shell',
            testDir: 'examples',
            testIgnore: [desktopExamples, webServerExamples],
            use: { chromiumExecutablePath: headlessShell },
          },
        ]
      : []),
    // Headed windows share one display, where only one window is active at a time, and
    // PaymentRequest.show() refuses an inactive window ("a background tab"): one headed browser at a time.
    ...(hasDisplay ? [{ name: 'examples-headed', testDir: 'examples', testIgnore: webServerExamples, workers: 1, use: { headless: false } }] : []),
    ...(hasChromium150
      ? [
          {
            name: 'examples-chromium-150',
            testDir: 'examples',
            testIgnore: webServerExamples,
            use: { chromiumExecutablePath: chromium150 },
          },
          // Bounce tracking's Force run, the protocol fallbacks (permissions, offline emulation, service worker routes) and the renderer and service worker faults on the older browser.
          {
            name: 'tests-chromium-150',
            testDir: 'tests/integration',
            testMatch: [
              bounceSpecs,
              /connectivity(-stopped-worker)?\.spec\.ts$/,
              /faults-renderer\.spec\.ts$/,
              /faults-registration\.spec\.ts$/,
              /triggers\.spec\.ts$/,
              /permissions\.spec\.ts$/,
              /push-service\.spec\.ts$/,
            ],
            grepInvert: [notSlow, once],
            use: { chromiumExecutablePath: chromium150 },
          },
        ]
      : []),
  ],
});
