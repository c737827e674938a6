import { defineConfig } from '@playwright/test';
import type { BackgroundServicesOptions } from 'playwright-background-services';

const port = Number(process.env.DEMO_PORT ?? 43210);

export default defineConfig<BackgroundServicesOptions>({
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // The machines this runs on have two cores.
  workers: 2,
  retries: 0,
  // Tests tagged @slow wait for Chromium's own clocks (the 5-minute report garbage collection):
  // CI runs them; a local run skips them unless RUN_SLOW=1.
  grepInvert: process.env.CI || process.env.RUN_SLOW ? undefined : /@slow/,
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
    { name: 'examples', testDir: 'examples' },
    { name: 'tests', testDir: 'tests/integration' },
  ],
});
