// The one door to Playwright's private fixtures (src/fixtures/playwrightInternals.ts): what it
// accepts, and the error a Playwright without them gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test as playwrightTest } from '@playwright/test';
import { checkBrowserOptions, checkContextOptions, checkPrivateFixturesRegistered, SUPPORTED_PLAYWRIGHT, UnsupportedPlaywrightError } from '#internal';
import { BackgroundServicesError } from 'playwright-background-services';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
// scripts/test-peer.mjs runs this in a copy whose devDependency it sets to the peer version under
// test; it passes the repository's own in the environment.
const newestTested = process.env.PLAYWRIGHT_BACKGROUND_SERVICES_DEV_PLAYWRIGHT ?? pkg.devDependencies['@playwright/test'];
const installed = JSON.parse(readFileSync(new URL('../../node_modules/@playwright/test/package.json', import.meta.url), 'utf8')).version;

test('the supported range in the error is package.json’s: the peer range and the devDependency', () => {
  assert.equal(SUPPORTED_PLAYWRIGHT.range, pkg.peerDependencies['@playwright/test']);
  assert.equal(SUPPORTED_PLAYWRIGHT.newestTested, newestTested);
});

test('resolved options pass through as they are', () => {
  const launch = { args: ['--x'] };
  assert.equal(checkBrowserOptions(launch, '1.60.0'), launch);
  const context = { locale: 'fr-FR' };
  assert.equal(checkContextOptions(context, '1.60.0'), context);
});

test('missing or reshaped private fixtures fail with UnsupportedPlaywrightError naming the version, the fixture and the range', () => {
  const cases = [
    [() => checkBrowserOptions(undefined, '9.0.0'), /private worker fixture _browserOptions \(the resolved launch options\) is undefined/],
    [() => checkBrowserOptions({ args: '--x' }, '9.0.0'), /_browserOptions .* is an object of another shape/],
    [() => checkContextOptions(undefined, '9.0.0'), /private test fixture _combinedContextOptions \(the resolved context options\) is undefined/],
    [() => checkContextOptions('x', '9.0.0'), /_combinedContextOptions .* is a string/],
  ];
  for (const [run, detail] of cases) {
    assert.throws(run, (error) => {
      assert.ok(error instanceof UnsupportedPlaywrightError && error instanceof BackgroundServicesError, String(error));
      assert.equal(error.name, 'UnsupportedPlaywrightError');
      assert.match(error.message, /^playwright-background-services does not work with the installed @playwright\/test 9\.0\.0: /);
      assert.match(error.message, detail);
      assert.ok(error.message.includes(`It supports @playwright/test >=1.57.0 (newest tested: ${newestTested}).`), error.message);
      return true;
    });
  }
});

test('the installed Playwright registers both private fixtures; one without them fails by name', () => {
  checkPrivateFixturesRegistered(playwrightTest);
  const without = playwrightTest.extend({});
  const symbol = Object.getOwnPropertySymbols(without).find((s) => s.description === 'testType');
  const renamed = {
    [symbol]: {
      fixtures: without[symbol].fixtures.map((entry) => ({
        ...entry,
        fixtures: Object.fromEntries(Object.entries(entry.fixtures).filter(([name]) => name !== '_combinedContextOptions')),
      })),
    },
  };
  assert.throws(
    () => checkPrivateFixturesRegistered(renamed),
    (error) =>
      error instanceof UnsupportedPlaywrightError &&
      error.message.includes(`@playwright/test ${installed}: it has no private fixture _combinedContextOptions.`),
  );
});
