import { defineConfig } from '@playwright/test';

// Run by tests/integration/isolation.spec.ts: the same tests on two workers at once.
export default defineConfig({
  testDir: '.',
  // Not the parent run's test-results (the default beside package.json).
  outputDir: './test-results',
  fullyParallel: true,
  workers: 2,
  use: { baseURL: process.env.DEMO_BASE_URL },
});
