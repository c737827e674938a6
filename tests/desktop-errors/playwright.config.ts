import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { BackgroundServicesOptions } from 'playwright-background-services';

// Run by tests/integration/desktop-notifications.spec.ts: the fixture errors of desktop
// notifications, which fail a test before its body runs.
const shell = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';

export default defineConfig<BackgroundServicesOptions>({
  testDir: '.',
  outputDir: './test-results',
  workers: 1,
  reporter: [['json']],
  projects: [
    { name: 'chromium', testMatch: /without-option/ },
    // On a remote browser server (PW_TEST_CONNECT_WS_ENDPOINT, from tests/integration/remote-server.spec.ts).
    ...(process.env.PW_TEST_CONNECT_WS_ENDPOINT ? [{ name: 'remote', testMatch: /remote-server/, use: { desktopNotifications: true } }] : []),
    ...(existsSync(shell) ? [{ name: 'headless-shell', testMatch: /headless-shell/, use: { chromiumExecutablePath: shell, desktopNotifications: true } }] : []),
  ],
});
