import { defineConfig } from '@playwright/test';

// Run by tests/integration/unsupported-browser.spec.ts: the fixtures on a non-Chromium project.
// Firefox is never launched: the check fails (or skips) before any browser starts.
export default defineConfig({
  testDir: '.',
  // Playwright's default is test-results beside package.json: the parent run's own folder,
  // which this nested run would clear under it.
  outputDir: './test-results',
  workers: 1,
  reporter: [['json']],
  projects: [{ name: 'firefox', use: { browserName: 'firefox' } }],
});
