import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { BackgroundServicesOptions } from 'playwright-background-services';
import { backgroundServicesWebServer } from 'playwright-background-services/config';

// Your backend, started by Playwright before any test, reaches the test's push service, FCM
// stand-in and report collector: their addresses and certificate exist from here on.
const services = backgroundServicesWebServer();

const port = Number(process.env.WEB_SERVER_EXAMPLE_PORT ?? 43230);
const headlessShell = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';

export default defineConfig<BackgroundServicesOptions>({
  testDir: '.',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: '../../playwright-report/web-server' }]] : [['list']],
  outputDir: '../../test-results/web-server',
  use: { baseURL: `http://localhost:${port}`, trace: 'retain-on-failure' },
  webServer: [
    // The pages (the demo app's static server).
    { command: `node ../../fixtures/server.mjs --port ${port}`, url: `http://localhost:${port}/`, reuseExistingServer: false, stdout: 'ignore' },
    // The backend: web-push, firebase-admin and an HTTPS page with Reporting-Endpoints.
    {
      command: `node ../../fixtures/app-backend.mjs --port ${port + 1}`,
      url: `http://127.0.0.1:${port + 1}/`,
      reuseExistingServer: false,
      env: { ...services.env },
    },
  ],
  projects: [
    { name: 'web-server' },
    ...(existsSync(headlessShell) ? [{ name: 'web-server-headless-shell', use: { chromiumExecutablePath: headlessShell } }] : []),
  ],
});
