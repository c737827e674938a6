import { defineConfig } from '@playwright/test';

// Run by tests/integration/desktop-notifications.spec.ts: the desktop fixture without the
// desktopNotifications option fails before any browser starts.
export default defineConfig({
  testDir: '.',
  outputDir: './test-results',
  workers: 1,
  reporter: [['json']],
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
