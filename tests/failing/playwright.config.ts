import { defineConfig } from '@playwright/test';

// Run by tests/integration/evidence.spec.ts, which expects this spec to fail and reads the report.
export default defineConfig({
  testDir: '.',
  // Playwright's default is test-results beside package.json: the parent run's own folder,
  // which this nested run would clear under it.
  outputDir: './test-results',
  workers: 1,
  reporter: [['json']],
  use: { baseURL: process.env.DEMO_BASE_URL },
});
