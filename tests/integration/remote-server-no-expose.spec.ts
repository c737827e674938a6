import { test, expect, UnsupportedFeatureError } from 'playwright-background-services';

// The remote server without exposeNetwork: its browser's 127.0.0.1 is not this machine's.
test.skip(({ connectOptions }) => !connectOptions, 'needs a remote browser server: PW_TEST_CONNECT_WS_ENDPOINT');
test.use({ connectOptions: async ({ connectOptions }, use) => use(connectOptions && { ...connectOptions, exposeNetwork: undefined }) });

test('a helper that needs this machine fails at once, naming exposeNetwork', async ({ page, triggerPush }) => {
  await page.goto('about:blank');
  const started = Date.now();
  const error = await triggerPush('hi').catch((e: Error) => e);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(error).toBeInstanceOf(UnsupportedFeatureError);
  expect((error as Error).message).toContain('which could not be probed on');
  expect((error as Error).message).toContain("Fix: add exposeNetwork: '<loopback>' to connectOptions");
});
