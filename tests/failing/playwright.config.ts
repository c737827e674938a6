import { defineConfig } from '@playwright/test';

// Run by tests/integration/evidence.spec.ts, which expects this spec to fail and reads the report.
export default defineConfig({
  testDir: '.',
  workers: 1,
  reporter: [['json']],
  use: { baseURL: process.env.DEMO_BASE_URL },
});
