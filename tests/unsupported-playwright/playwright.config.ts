import { defineConfig } from '@playwright/test';

// Run by tests/integration/unsupported-playwright.spec.ts: a Playwright whose private fixtures
// are gone, simulated by overriding them under the library's fixtures.
export default defineConfig({
  testDir: '.',
  // Not the parent run's test-results, which this nested run would clear under it.
  outputDir: './test-results',
  workers: 1,
  reporter: [['json']],
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
