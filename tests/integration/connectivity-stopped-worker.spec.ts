import { test, expect } from 'playwright-background-services';

// Chromium stops a worker idle for ~30 s, also while it is held offline: the emulation and the held
// sync outlive the stop, and the worker's session answers again only once the worker runs.
test('setServiceWorkerOffline(false) on a worker stopped while offline starts it and releases the held sync', async ({
  page,
  context,
  recordBackgroundService,
  setServiceWorkerOffline,
}) => {
  const recording = await recordBackgroundService('backgroundSync');
  await page.goto('/sync/');
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  await setServiceWorkerOffline(true);
  await page.getByRole('button', { name: 'Register background sync' }).click();
  await expect(recording).toHaveRecordedEvent({ eventName: 'Registered sync', instanceId: 'outbox' });

  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const stopped = new Promise<void>((resolve) =>
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.runningStatus === 'stopped')) resolve();
    }),
  );
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;

  await setServiceWorkerOffline(false, { timeout: 10_000 });
  await expect(recording).toHaveRecordedEvent({ eventName: 'Sync completed', instanceId: 'outbox', metadata: { Status: 'succeeded' } });
});
