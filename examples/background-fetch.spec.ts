import { test, expect } from 'playwright-background-services';

test('"Store assets locally" downloads every asset in the background', async ({ page, recordBackgroundService, backgroundServicesSupport: support }) => {
  test.skip(!support.backgroundFetch.supported, support.backgroundFetch.reason);
  const recording = await recordBackgroundService('backgroundFetch');
  await page.goto('/background-fetch/');
  await page.getByRole('button', { name: 'Store assets locally' }).click();

  await expect(recording).toHaveRecordedEvents(
    [
      { eventName: 'Background Fetch registered', metadata: { 'Total Requests': '3' } },
      { eventName: 'Background Fetch started' },
      { eventName: 'Background Fetch completed', metadata: { 'Event Type': 'BackgroundFetchSuccessEvent' } },
    ],
    { ordered: true },
  );
  const completed = recording.filter({ eventName: 'Request processing completed' });
  expect(completed.map((event) => event.metadata['Response Status'])).toEqual(['200', '200', '200']);
});
