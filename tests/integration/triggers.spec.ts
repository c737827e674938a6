import { test, expect, BackgroundServicesTimeoutError } from 'playwright-background-services';

test.describe('triggerPush', () => {
  test('resolves once the browser confirms the push, with its status', async ({ page, triggerPush }) => {
    await page.goto('/push/');
    const outcome = await triggerPush('hello');
    expect(outcome.status).toBe('Success');
    expect(outcome.dispatched.metadata).toEqual({ Payload: 'hello' });
    expect(outcome.completed.eventName).toBe('Push event completed');
    expect(outcome.registration.scopeURL).toBe(new URL('/push/', page.url()).href);
  });

  test('sends objects as JSON', async ({ page, recordBackgroundService, triggerPush }) => {
    const recording = await recordBackgroundService('notifications');
    await page.goto('/push/');
    const outcome = await triggerPush({ title: 'Order shipped', body: 'Your parcel is on its way', tag: 'order-42' });
    expect(outcome.dispatched.metadata.Payload).toBe('{"title":"Order shipped","body":"Your parcel is on its way","tag":"order-42"}');
    await expect(recording).toHaveRecordedEvent({
      eventName: 'Notification displayed',
      instanceId: 'order-42',
      metadata: { Title: 'Order shipped', Body: 'Your parcel is on its way' },
    });
  });

  test('reports a handler whose waitUntil rejects, and one that throws', async ({ page, triggerPush }) => {
    await page.goto('/push/');
    expect((await triggerPush('reject')).status).toBe('waitUntil Rejected');
    // Chromium counts a throwing push handler as a success.
    expect((await triggerPush('throw')).status).toBe('Success');
  });

  test('times out on a handler that never settles, saying what the browser did log', async ({ page, triggerPush }) => {
    await page.goto('/push/');
    const error = await triggerPush('hang', { timeout: 1000 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BackgroundServicesTimeoutError);
    expect((error as Error).message).toMatch(
      /^triggerPush\("hang"\): dispatched to the service worker at http:\/\/localhost:\d+\/push\/ \(registration \d+\), but the browser did not log "Push event completed" within 1000ms \(it did log "Push event dispatched"\)\. The handler may still be running: .*\npushMessaging events since the trigger \(1\):\n {2}1\. .*"Push event dispatched".*\{ Payload: "hang" \}$/s,
    );
  });

  test('parallel pushes each resolve with their own confirmation', async ({ page, triggerPush }) => {
    await page.goto('/push/');
    const outcomes = await Promise.all(['a', 'b', 'c'].map((text) => triggerPush(text)));
    expect(outcomes.map((outcome) => outcome.dispatched.metadata.Payload)).toEqual(['a', 'b', 'c']);
    expect(new Set(outcomes.map((outcome) => outcome.completed.timestamp)).size).toBe(3);
  });

  test('picks the registration that controls the page, or the one named by scope', async ({ page, triggerPush }) => {
    await page.goto('/sync/');
    await page.goto('/push/');
    await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
    expect((await triggerPush('to push')).registration.scopeURL).toMatch(/\/push\/$/);
    // The sync worker has no push handler: the browser still logs the push as completed.
    const outcome = await triggerPush('to sync', { scope: '/sync/' });
    expect(outcome.registration.scopeURL).toMatch(/\/sync\/$/);
    expect(outcome.status).toBe('Success');
  });

  test('fails clearly when the origin has no service worker', async ({ page, triggerPush }) => {
    await page.goto('/');
    const error = await triggerPush('hello', { timeout: 500 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^triggerPush\("hello"\): no active service worker registration for origin http:\/\/localhost:\d+ within 500ms\. Registrations seen: none\. Make sure the page calls navigator\.serviceWorker\.register\(\) and that the worker installs without error \(the page is at http:\/\/localhost:\d+\/\)\.$/,
    );
  });

  test('fails clearly before any navigation', async ({ triggerPush }) => {
    await expect(triggerPush('hello')).rejects.toThrow(
      'triggerPush("hello"): the page is at "about:blank", which has no origin. Navigate to the page that registers the service worker first (page.goto), or pass { origin }.',
    );
  });

  test('rejects a payload that is not text or an object', async ({ triggerPush }) => {
    await expect(triggerPush(42 as never)).rejects.toThrow(
      'triggerPush(): expected the push payload as a string or a JSON-serializable object, got number 42.',
    );
  });
});

test.describe('triggerSync', () => {
  test('resolves once the browser dispatched the sync, and the handler runs', async ({ page, recordBackgroundService, triggerSync }) => {
    const recording = await recordBackgroundService('backgroundSync');
    await page.goto('/sync/');
    const outcome = await triggerSync('outbox');
    expect(outcome.dispatched).toMatchObject({ eventName: 'Dispatched sync event', instanceId: 'outbox', metadata: { 'Last Chance': 'No' } });
    await expect(page.locator('#log')).toContainText('outbox');
    // Chromium logs no "Sync completed" for a dispatched sync: the outcome shows in the page.
    await expect(recording).not.toHaveRecordedEvent({ eventName: 'Sync completed' });
  });

  test('passes lastChance', async ({ page, triggerSync }) => {
    await page.goto('/sync/');
    const outcome = await triggerSync('upload', { lastChance: true });
    expect(outcome.dispatched.metadata['Last Chance']).toBe('Yes');
  });

  test('rejects an empty tag', async ({ triggerSync }) => {
    await expect(triggerSync('')).rejects.toThrow(
      'triggerSync(): expected a non-empty tag string (the tag the page passed to register()), got an empty string.',
    );
  });
});

test.describe('triggerPeriodicSync', () => {
  test('resolves once the browser dispatched the event', async ({ page, triggerPeriodicSync }) => {
    await page.goto('/periodic-sync/');
    const outcome = await triggerPeriodicSync('content-update');
    expect(outcome.dispatched.eventName).toBe('Dispatched periodicsync event');
    expect(outcome.dispatched.instanceId).toBe('content-update');
    await expect(page.locator('#log')).toContainText('content-update');
  });
});

test.describe('permissions', () => {
  test("the services' permissions are granted together", async ({ page, backgroundServices }) => {
    void backgroundServices;
    await page.goto('/');
    const states = await page.evaluate(async () => {
      const query = async (name: string) => (await navigator.permissions.query({ name: name as PermissionName })).state;
      return {
        notifications: Notification.permission,
        backgroundSync: await query('background-sync'),
        periodicBackgroundSync: await query('periodic-background-sync'),
      };
    });
    expect(states).toEqual({ notifications: 'granted', backgroundSync: 'granted', periodicBackgroundSync: 'granted' });
  });

  test.describe('when turned off', () => {
    test.use({ grantBackgroundServicePermissions: false });
    test('nothing is granted', async ({ page, backgroundServices }) => {
      void backgroundServices;
      await page.goto('/');
      expect(await page.evaluate(() => Notification.permission)).not.toBe('granted');
    });
  });

  test.describe("with the user's own permissions", () => {
    test.use({ permissions: ['geolocation'] });
    test('they are kept alongside', async ({ page, backgroundServices }) => {
      void backgroundServices;
      await page.goto('/');
      const geolocation = await page.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state);
      expect(geolocation).toBe('granted');
      expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    });
  });
});
