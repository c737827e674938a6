import { test, expect } from 'playwright-background-services';

test('a payment app answers a payment request', async ({ page, recordBackgroundService, backgroundServicesSupport: support }) => {
  test.skip(!support.paymentHandler.supported, support.paymentHandler.reason);
  const recording = await recordBackgroundService('paymentHandler');
  await page.goto('/payment/');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();

  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment request', metadata: { 'Total Value': '1.00' } });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_SUCCESS' } });
});

test('a payment app that declines is logged as a rejection', async ({ page, recordBackgroundService, backgroundServicesSupport: support }) => {
  test.skip(!support.paymentHandler.supported, support.paymentHandler.reason);
  const recording = await recordBackgroundService('paymentHandler');
  await page.goto('/payment/');
  await page.getByRole('button', { name: 'Buy (declined)' }).click();

  await expect(recording).toHaveRecordedEvent({ eventName: 'Payment response', metadata: { Type: 'PAYMENT_EVENT_REJECT' } });
});
