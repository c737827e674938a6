import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { allSpecs, runConfig } from '../support/nestedRun.js';

const version = (JSON.parse(readFileSync('node_modules/@playwright/test/package.json', 'utf8')) as { version: string }).version;

test('a Playwright without the private _browserOptions fixture fails with UnsupportedPlaywrightError', async () => {
  test.setTimeout(60_000);
  const run = await runConfig('tests/unsupported-playwright/playwright.config.ts');
  const all = run.report.suites.flatMap(allSpecs);
  const errorOf = (title: string) => {
    const result = all.find((spec) => spec.title === title)!.tests[0]!.results[0]!;
    expect(result.status, title).toBe('failed');
    return result.errors[0]!.message!;
  };
  const browserOptions = errorOf('without _browserOptions');
  expect(browserOptions).toContain(
    `UnsupportedPlaywrightError: playwright-background-services does not work with the installed @playwright/test ${version}: ` +
      'its private worker fixture _browserOptions (the resolved launch options) is undefined',
  );
  expect(browserOptions).toContain('It supports @playwright/test >=1.57.0 (newest tested: ');
});
