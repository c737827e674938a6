import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';

interface JsonResult {
  status: string;
  errors: Array<{ message?: string }>;
}
interface JsonTest {
  annotations: Array<{ type: string; description?: string }>;
  results: JsonResult[];
}
interface JsonSpec {
  title: string;
  tests: JsonTest[];
}
interface JsonSuite {
  specs: JsonSpec[];
  suites?: JsonSuite[];
}

function specs(suite: JsonSuite): JsonSpec[] {
  return [...suite.specs, ...(suite.suites ?? []).flatMap(specs)];
}

const message =
  "playwright-background-services needs Chromium (it drives the Chrome DevTools Protocol), but this test runs on firefox. Run it in a chromium project, or set `backgroundServicesUnsupportedBrowser: 'skip'` in `use` to skip it on other browsers.";

test('on Firefox the fixtures fail with a clear message, or skip when told to', async () => {
  test.setTimeout(60_000);
  const run = await promisify(execFile)('npx', ['playwright', 'test', '-c', 'tests/unsupported/playwright.config.ts'], {
    env: { ...process.env, CI: '' },
    maxBuffer: 10_000_000,
  }).catch((error: { stdout: string }) => error);
  const report = JSON.parse(run.stdout) as { suites: JsonSuite[] };
  const all = report.suites.flatMap(specs);
  const failing = all.find((spec) => spec.title === 'fails with a clear error')!.tests[0]!;
  expect(failing.results[0]!.status).toBe('failed');
  expect(failing.results[0]!.errors[0]!.message).toContain(`UnsupportedBrowserError: ${message}`);
  const skipped = all.find((spec) => spec.title === 'is skipped')!.tests[0]!;
  expect(skipped.results[0]!.status).toBe('skipped');
  expect(skipped.annotations).toContainEqual({ type: 'skip', description: message, location: expect.anything() });
});
