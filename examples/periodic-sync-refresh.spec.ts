import { test, expect } from 'playwright-background-services';
import type { APIRequestContext } from '@playwright/test';

// What the demo server received in this test's inbox (fixtures/server.mjs: GET /api/inbox/<id>).
async function refreshesReceived(request: APIRequestContext, inbox: string): Promise<string[]> {
  const { messages } = (await (await request.get(`/api/inbox/${inbox}`)).json()) as { messages: Array<{ body: { refreshedAt: string } }> };
  return messages.map((message) => message.body.refreshedAt);
}

test('a periodic sync refreshes only when the last refresh is older than 12 hours', async ({
  page,
  request,
  recordBackgroundService,
  triggerPeriodicSync,
  serviceWorkerClock,
  backgroundServicesSupport: support,
}) => {
  test.skip(!support.periodicBackgroundSync.supported, support.periodicBackgroundSync.reason);
  const { testId, repeatEachIndex, retry } = test.info();
  const inbox = `${testId}-${repeatEachIndex}-${retry}`;
  // The worker's time stands still at 08:00 until the test moves it.
  await serviceWorkerClock.install({ time: '2030-01-01T07:00:00Z' });
  await serviceWorkerClock.pauseAt('2030-01-01T08:00:00Z');
  const recording = await recordBackgroundService('periodicBackgroundSync');
  await page.goto(`/periodic-refresh/?inbox=${inbox}`);
  await page.getByRole('button', { name: 'Register periodic refresh' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered periodicsync', instanceId: 'refresh-content' });
  const results = page.locator('#results li');

  // The first periodicsync refreshes: nothing was refreshed before.
  await triggerPeriodicSync('refresh-content');
  await expect(results).toHaveText(['refreshed at 2030-01-01T08:00:00.000Z']);
  expect(await refreshesReceived(request, inbox)).toEqual(['2030-01-01T08:00:00.000Z']);

  // Fired again at once, the handler finds its last refresh fresh and does nothing.
  await triggerPeriodicSync('refresh-content');
  await expect(results).toHaveText(['refreshed at 2030-01-01T08:00:00.000Z', 'skipped: last refresh at 2030-01-01T08:00:00.000Z']);
  expect(await refreshesReceived(request, inbox)).toEqual(['2030-01-01T08:00:00.000Z']);

  // Twelve hours and a second later the last refresh is stale: the next periodicsync refreshes again.
  await serviceWorkerClock.fastForward('12:00:01');
  await triggerPeriodicSync('refresh-content');
  await expect(results).toHaveText([
    'refreshed at 2030-01-01T08:00:00.000Z',
    'skipped: last refresh at 2030-01-01T08:00:00.000Z',
    'refreshed at 2030-01-01T20:00:01.000Z',
  ]);
  expect(await refreshesReceived(request, inbox)).toEqual(['2030-01-01T08:00:00.000Z', '2030-01-01T20:00:01.000Z']);
});
