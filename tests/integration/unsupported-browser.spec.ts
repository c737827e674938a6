import { test, expect } from '@playwright/test';
import { allSpecs, runConfig } from '../support/nestedRun.js';

const message =
  "playwright-background-services needs Chromium (it drives the Chrome DevTools Protocol), but this test runs on firefox. Run it in a chromium project, or set `backgroundServicesUnsupportedBrowser: 'skip'` in `use` to skip it on other browsers.";

test('on Firefox the fixtures fail with a clear message, or skip when told to', async () => {
  test.setTimeout(60_000);
  const run = await runConfig('tests/unsupported/playwright.config.ts');
  const all = run.report.suites.flatMap(allSpecs);
  const failing = all.find((spec) => spec.title === 'fails with a clear error')!.tests[0]!;
  expect(failing.results[0]!.status).toBe('failed');
  expect(failing.results[0]!.errors[0]!.message).toContain(`UnsupportedBrowserError: ${message}`);
  const skipped = all.find((spec) => spec.title === 'is skipped')!.tests[0]!;
  expect(skipped.results[0]!.status).toBe('skipped');
  expect(skipped.annotations).toContainEqual(expect.objectContaining({ type: 'skip', description: message }));
});
