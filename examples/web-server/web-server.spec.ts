import { test, expect } from 'playwright-background-services';

// The backend (fixtures/app-backend.mjs) was started by the config's webServer, before this test
// and its fixtures existed. What it sends still lands in this test's push service, FCM stand-in
// and report collector, and in no other test's.
const backend = `http://127.0.0.1:${Number(process.env.WEB_SERVER_EXAMPLE_PORT ?? 43230) + 1}`;
const pushBackend = `http://127.0.0.1:${Number(process.env.WEB_SERVER_EXAMPLE_PORT ?? 43230) + 2}`;
const appPages = `https://localhost:${Number(process.env.WEB_SERVER_EXAMPLE_PORT ?? 43230) + 3}`;

test('the backend pushes with web-push through the push service', async ({ page, pushService, request, backgroundServicesSupport: support }) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  await page.goto(`/push-backend/?backend=${encodeURIComponent(pushBackend)}`);
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  await page.getByRole('button', { name: 'Enable push notifications' }).click();
  await expect(page.locator('#push-status')).toHaveText(/^subscribed: https:\/\/127\.0\.0\.1/);

  const endpoint = pushService.subscriptions[0]!.endpoint;
  const sent = await request.post(`${pushBackend}/notify`, { data: { endpoint, payload: JSON.stringify({ title: 'Order shipped' }) } });
  expect(await sent.json()).toEqual([expect.objectContaining({ endpoint, statusCode: 201 })]);
  await expect(pushService).toHaveReceivedPush({ payload: { title: 'Order shipped' }, state: 'delivered' });
  expect(pushService.messages).toHaveLength(1); // the other tests' pushes went to their own services
});

test('the backend sends with firebase-admin through the FCM stand-in', async ({ page, fcm, request, backgroundServicesSupport: support }) => {
  test.skip(!support.notifications.supported, support.notifications.reason);
  await page.goto('/fcm/');
  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await expect(page.locator('#token')).toHaveText(/:APA91b/);
  const token = fcm.tokens[0]!.token;

  const sent = await request.post(`${backend}/fcm/send`, { data: { projectId: 'demo-project', token, title: 'Order shipped' } });
  expect(await sent.json()).toEqual({ messageId: expect.stringMatching(/^projects\/demo-project\/messages\//) });
  await expect(fcm).toHaveReceivedMessage({ token, notification: { title: 'Order shipped' }, state: 'delivered' });
  await expect(page.locator('#messages')).toContainText('Order shipped');
  expect(fcm.messages).toHaveLength(1);
});

test.describe('reports', () => {
  // The app's own HTTPS certificate is self-signed: the test's browser context accepts it.
  test.use({ ignoreHTTPSErrors: true });

  test('the backend names the run’s report endpoint; the report reaches this test’s collector', async ({
    page,
    reportCollector,
    awaitReport,
    backgroundServicesSupport: support,
  }) => {
    test.skip(!support.reportingShortDelay.supported, support.reportingShortDelay.reason);
    await page.goto(`${appPages}/checkout`);
    await expect(page).toHaveTitle('Checkout'); // the CSP blocked the inline script
    const report = await awaitReport({ type: 'csp-violation', status: 'Success' });
    expect(report.destination).toBe('main');
    await expect(reportCollector).toHaveReceivedReport({ type: 'csp-violation', url: `${appPages}/checkout` });
    expect(reportCollector.reports).toHaveLength(1); // no other test's report
  });
});
