import { defineConfig } from '@playwright/test';

// Run by tests/integration/unsupported-browser.spec.ts: the fixtures on a non-Chromium project.
// Firefox is never launched: the check fails (or skips) before any browser starts.
export default defineConfig({
  testDir: '.',
  workers: 1,
  reporter: [['json']],
  projects: [{ name: 'firefox', use: { browserName: 'firefox' } }],
});
