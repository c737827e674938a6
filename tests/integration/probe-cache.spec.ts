import { readdirSync } from 'node:fs';
import { test, expect } from 'playwright-background-services';
import { createSupportProbe } from '#internal';

test('the probe cache answers the next probe of the same set-up without a page, and says so', async ({ browser }, testInfo) => {
  const cacheDir = testInfo.outputPath('probe-cache');
  const first = createSupportProbe(browser, { cacheDir });
  expect(await first.feature('backgroundSync')).toEqual({ supported: true });
  expect((await first.identity()).cache).toBeUndefined();
  expect(readdirSync(cacheDir)).toHaveLength(1);

  const contexts = browser.contexts().length;
  const second = createSupportProbe(browser, { cacheDir });
  expect(await second.feature('backgroundSync')).toEqual({ supported: true });
  expect(browser.contexts()).toHaveLength(contexts);
  expect((await second.identity()).cache).toMatch(
    /^some answers came from the probe cache \(.+\.json, first probed \d{4}-.+; PLAYWRIGHT_BACKGROUND_SERVICES_PROBE_CACHE=0 turns it off\)$/,
  );

  // Other probe options are another set-up, with a file of its own.
  const other = createSupportProbe(browser, { cacheDir, backForwardCache: true });
  expect(await other.feature('backgroundSync')).toEqual({ supported: true });
  expect((await other.identity()).cache).toBeUndefined();
  expect(readdirSync(cacheDir)).toHaveLength(2);

  // Without a folder (the variable set to 0), nothing is read.
  const off = createSupportProbe(browser);
  expect(await off.feature('backgroundSync')).toEqual({ supported: true });
  expect((await off.identity()).cache).toBeUndefined();
});
