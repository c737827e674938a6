// The matchers outside Playwright's runner: node:test, the standalone `expect` package, and
// the built package (dist/), so this is also the smoke test of what npm ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { expect } from 'expect';
import { backgroundServiceMatchers, loadRecording } from 'playwright-background-services/matchers';

expect.extend(backgroundServiceMatchers);
const saved = 'fixtures/recordings/pushMessaging-20261121T054403.json';

test('standalone expect: pass and .not on a saved recording', async () => {
  const recording = await loadRecording(saved);
  await expect(recording).toHaveRecordedEvent({ eventName: 'Push event completed', metadata: { Status: 'waitUntil Rejected' } });
  await expect(recording).not.toHaveRecordedEvent({ service: 'notifications' });
  await expect(recording).toHaveRecordedEvents([{ eventName: 'Push event dispatched' }, { eventName: 'Push event completed' }], { ordered: true });
});

test('standalone expect: the failure message is the same as under Playwright', async () => {
  const recording = await loadRecording(saved);
  await assert.rejects(expect(recording).toHaveRecordedEvent({ metadata: { Status: 'Success' } }), (error) => {
    assert.equal(
      error.message,
      [
        "expect(recording).toHaveRecordedEvent({ metadata: { Status: 'Success' } }) failed",
        '',
        "Expected: { metadata: { Status: 'Success' } }",
        'Received: 2 event(s) recorded, none matching',
        '',
        'Recorded events (2):',
        '  1.  05:44:03.123  pushMessaging  "Push event dispatched"  https://push.example/  { Payload: "hello" }',
        '  2.  05:44:03.456  pushMessaging  "Push event completed"  https://push.example/  { Status: "waitUntil Rejected" }',
      ].join('\n'),
    );
    return true;
  });
});

test('standalone expect: a near miss names the fields in which the closest event differs', async () => {
  const event = (timestamp, service, eventName, metadata) => ({
    timestamp,
    origin: 'https://shop.example/',
    serviceWorkerRegistrationId: '3',
    service,
    eventName,
    instanceId: '',
    eventMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    storageKey: 'https://shop.example/',
  });
  const saved = [
    event(1763703843.123, 'pushMessaging', 'Push event completed', { Status: 'Success' }),
    event(1763703843.456, 'notifications', 'Notification displayed', { Title: 'Order shipped', Body: 'On its way' }),
  ];
  await assert.rejects(
    expect(saved).toHaveRecordedEvent({ eventName: 'Notification displayed', metadata: { Title: /Order delivered/, Body: 'On its way' } }),
    (error) => {
      assert.equal(
        error.message,
        [
          "expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', metadata: { Title: /Order delivered/, Body: 'On its way' } }) failed",
          '',
          "Expected: { eventName: 'Notification displayed', metadata: { Title: /Order delivered/, Body: 'On its way' } }",
          'Received: 2 event(s) recorded, none matching',
          '',
          'Recorded events (2):',
          '  1.  05:44:03.123  pushMessaging  "Push event completed"  https://shop.example/  { Status: "Success" }',
          '  2.  05:44:03.456  notifications  "Notification displayed"  https://shop.example/  { Title: "Order shipped", Body: "On its way" }',
          'Closest: event #2 differs in metadata.Title: expected /Order delivered/, got "Order shipped"',
        ].join('\n'),
      );
      return true;
    },
  );
  // No event matches any field: nothing is close, so no line points at one.
  await assert.rejects(expect(saved).toHaveRecordedEvent({ eventName: 'Sync completed' }), (error) => {
    assert.doesNotMatch(error.message, /Closest/);
    return true;
  });
});

test('loadRecording names a bad file and bad content', async () => {
  await assert.rejects(loadRecording('no/such/file.json'), /^BackgroundServicesError: loadRecording\(\): cannot read "no\/such\/file\.json": ENOENT/);
  await assert.rejects(loadRecording('{"not": "an array"}'), {
    message: 'loadRecording(): cannot read "{\\"not\\": \\"an array\\"}": ' + 'ENOENT: no such file or directory, open \'{"not": "an array"}\'',
  });
  await assert.rejects(loadRecording('[{"eventName": 1}]'), {
    message:
      'loadRecording(JSON): item 0 is not a background service event (it needs timestamp, service, eventName and eventMetadata; timestamp must be a number, got undefined): {"eventName":1}',
  });
});

test("the CommonJS build exports the same API, and the repository's own helpers stay internal", async () => {
  const require = createRequire(import.meta.url);
  const cjs = require('playwright-background-services/matchers');
  // In name order: the object is built from the matchers' module namespace.
  assert.deepEqual(Object.keys(cjs.backgroundServiceMatchers), [
    'toBeRestoredFromBackForwardCache',
    'toHaveDeletedSites',
    'toHaveFlaggedBounceTracker',
    'toHaveNotRestoredReason',
    'toHaveReceivedMessage',
    'toHaveReceivedPush',
    'toHaveReceivedReport',
    'toHaveRecordedEvent',
    'toHaveRecordedEvents',
    'toHaveReport',
    'toHaveReportStatus',
    'toHaveServiceWorker',
    'toHaveShownNotification',
    'toMatchRecording',
  ]);
  const main = require('playwright-background-services');
  const esm = await import('playwright-background-services');
  assert.deepEqual(Object.keys(main).sort(), Object.keys(esm).sort());
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(await import('playwright-background-services/matchers')).sort());
  for (const name of ['test', 'expect', 'createBackgroundServices', 'loadRecording', 'SERVICES', 'startDesktopNotifications', 'getOpenNotifications']) {
    assert.ok(name in main, `${name} is exported by the CommonJS build`);
  }
  for (const name of [
    'resolveChromiumExecutable',
    'chooseChromium',
    'FEATURE_TITLES',
    'BACKGROUND_SERVICE_PERMISSIONS',
    'toHaveRecordedEvent',
    'backgroundServiceMatchers',
  ]) {
    assert.ok(!(name in main), `${name} is not exported by the package root`);
  }
  assert.deepEqual(Object.keys(cjs).sort(), ['backgroundServiceMatchers', 'loadRecording']);
  // Users cannot reach the internal entry: "exports" has no ./internal, and #internal resolves only inside this package.
  assert.throws(() => require('playwright-background-services/internal'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
});

test('a saved array asserted on again is re-read when it changed, and filters match as written', async () => {
  const event = (eventName, metadata = {}, origin = 'http://localhost:4321/') => ({
    timestamp: 1_763_700_000 + Math.random(),
    origin,
    serviceWorkerRegistrationId: '1',
    service: 'pushMessaging',
    eventName,
    instanceId: '',
    eventMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    storageKey: origin,
  });
  const saved = [event('Push event dispatched', { Payload: 'a' })];
  await expect(saved).not.toHaveRecordedEvent({ eventName: 'Push event completed' });
  saved.push(event('Push event completed', { Status: 'Success' }));
  await expect(saved).toHaveRecordedEvent({ eventName: 'Push event completed' });
  saved[saved.length - 1] = event('Push event completed', { Status: 'Timeout' });
  await expect(saved).toHaveRecordedEvent({ metadata: { Status: 'Timeout' } });
  await expect(saved).not.toHaveRecordedEvent({ metadata: { Status: 'Success' } });
  // Origins match with or without Chromium's trailing slash; a RegExp anywhere unless anchored.
  await expect(saved).toHaveRecordedEvent({ origin: 'http://localhost:4321', eventName: /completed$/ });
  await expect(saved).not.toHaveRecordedEvent({ origin: 'http://localhost:432' });
  await expect(saved).toHaveRecordedEvents([{ metadata: { Payload: /^a$/ } }, { service: 'pushMessaging', instanceId: '' }], { ordered: true });
  await expect(saved).not.toHaveRecordedEvent({ eventName: 'Push event dispatched', preexisting: true });
});

test(
  'standalone expect: toHaveShownNotification on a desktop of the CommonJS build (a real bus, no browser)',
  { skip: process.platform !== 'linux' },
  async () => {
    const require = createRequire(import.meta.url);
    const { startDesktopNotifications } = require('playwright-background-services');
    const desktop = await startDesktopNotifications();
    try {
      assert.match(desktop.env.DBUS_SESSION_BUS_ADDRESS, /^unix:path=/);
      await expect(desktop).not.toHaveShownNotification({ title: 'Never shown' });
      await assert.rejects(expect(desktop).toHaveShownNotification({ title: 'Never shown' }, { timeout: 50 }), (error) => {
        assert.equal(
          error.message,
          [
            "expect(desktop).toHaveShownNotification({ title: 'Never shown' }) failed",
            '',
            "Expected: { title: 'Never shown' }",
            'Received: 0 notifications shown, none matching',
            'Timeout: 50ms',
            '',
            "Shown (0): nothing. Did the page call showNotification() with the notifications permission granted, in a browser launched with this desktop's env?",
          ].join('\n'),
        );
        return true;
      });
    } finally {
      await desktop.stop();
    }
  },
);
