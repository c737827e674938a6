import { test, expect, probeBackgroundServicesSupport, type BackgroundServicesSupport } from 'playwright-background-services';

// A worker of its own (a worker option set here), so that the beforeAll's probe is the worker's first.
test.use({ reportingShortDelay: true });

let before: BackgroundServicesSupport | undefined;
test.beforeAll(async ({ browser }) => {
  before = await probeBackgroundServicesSupport(browser).all();
});

test("a probe made in beforeAll leaves the fixture's answers alone", ({ backgroundServicesSupport: support }) => {
  // Made without the fixtures' collector, the user's probe cannot see NEL...
  expect(before?.networkErrorLogging).toEqual({ supported: false, reason: expect.stringMatching(/^not probed: NEL needs an HTTPS endpoint/) });
  // ...and the fixture's own probe, made with it, can.
  expect(support.networkErrorLogging.supported, support.networkErrorLogging.reason).toBe(true);
  expect(support.reportingShortDelay).toEqual({ supported: true });
});

test('each call makes a probe of its own', ({ browser }) => {
  expect(probeBackgroundServicesSupport(browser)).not.toBe(probeBackgroundServicesSupport(browser));
});
