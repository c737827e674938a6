import { test, expect } from 'playwright-background-services';

// Browser.setPermission (devtools-protocol's replacement for the deprecated grantPermissions)
// adds to what the context has; a permission with no W3C name falls back to grantPermissions,
// which replaces the set and so is sent with everything together. Runs on 156 and on 150.
const states = (names: string[]) =>
  Promise.all(names.map((name) => navigator.permissions.query({ name: name as PermissionName }).then((status) => [name, status.state] as const))).then(
    Object.fromEntries,
  );

const SERVICES = ['notifications', 'background-sync', 'periodic-background-sync', 'background-fetch', 'payment-handler'];

test.use({ permissions: ['geolocation'] });

test("the services are granted, and Playwright's own grant stays", async ({ page, backgroundServices }) => {
  void backgroundServices;
  await page.goto('/');
  expect(await page.evaluate(states, [...SERVICES, 'geolocation'])).toEqual(Object.fromEntries([...SERVICES, 'geolocation'].map((name) => [name, 'granted'])));
});

test('a permission without a W3C name here takes the grantPermissions path, with the rest', async ({ page, backgroundServices }) => {
  await page.goto('/');
  expect(await backgroundServices.grantPermissions(['accelerometer'])).toEqual(
    expect.arrayContaining(['notifications', 'backgroundSync', 'periodicBackgroundSync', 'backgroundFetch', 'paymentHandler', 'geolocation', 'sensors']),
  );
  expect(await page.evaluate(states, [...SERVICES, 'geolocation', 'accelerometer'])).toEqual(
    Object.fromEntries([...SERVICES, 'geolocation', 'accelerometer'].map((name) => [name, 'granted'])),
  );
});
