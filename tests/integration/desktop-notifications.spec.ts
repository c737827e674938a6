import {
  test,
  expect,
  getOpenNotifications,
  startDesktopNotifications,
  UnsupportedFeatureError,
  BackgroundServicesError,
} from 'playwright-background-services';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { failureOf } from '../support/failureOf.js';
import { allSpecs, runConfig } from '../support/nestedRun.js';

const port = process.env.DEMO_PORT ?? 43210;
const host = `localhost:${port}`;

async function notify(page: Page, fields: { title?: string; body?: string; tag?: string; buttons?: boolean } = {}) {
  await page.goto('/desktop-notifications/');
  await expect(page.locator('html')).toHaveAttribute('data-sw-state', 'activated');
  if (fields.title !== undefined) await page.getByLabel('Title').fill(fields.title);
  if (fields.body !== undefined) await page.getByLabel('Body').fill(fields.body);
  if (fields.tag !== undefined) await page.getByLabel('Tag').fill(fields.tag);
  if (fields.buttons === false) await page.getByLabel('Archive and Reply buttons').uncheck();
  await page.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.locator('#status')).toHaveText(/^shown/);
}

test.describe("with desktopNotifications and the user's own context options", () => {
  // The persistent context is built from Playwright's resolved context options: each one set here
  // must reach it, as it would reach Playwright's own per-test context.
  test.use({
    desktopNotifications: true,
    locale: 'de-DE',
    timezoneId: 'Asia/Tokyo',
    colorScheme: 'dark',
    // Through contextOptions, where every Playwright has it: \`reducedMotion\` on its own is an option
    // of Playwright Test only since 1.63 (microsoft/playwright#42001), older ones ignore it.
    contextOptions: { reducedMotion: 'reduce' },
    userAgent: 'pbs-agent/1.0',
    viewport: { width: 801, height: 601 },
    extraHTTPHeaders: { 'x-pbs-header': 'kept' },
    javaScriptEnabled: true,
  });

  test('every option reaches the desktop notifications context', async ({ page, desktop }) => {
    const headers = page.waitForRequest((request) => request.url().endsWith('/desktop-notifications/'));
    // The desktop sees it: this is the fixtures' persistent context, not Playwright's own.
    await notify(page, { title: 'options' });
    await desktop.waitForNotification({ title: 'options' });
    expect((await (await headers).allHeaders())['x-pbs-header']).toBe('kept');
    expect(
      await page.evaluate(() => ({
        language: navigator.language,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        dark: matchMedia('(prefers-color-scheme: dark)').matches,
        reduced: matchMedia('(prefers-reduced-motion: reduce)').matches,
        userAgent: navigator.userAgent,
        width: innerWidth,
        height: innerHeight,
      })),
    ).toEqual({ language: 'de-DE', timeZone: 'Asia/Tokyo', dark: true, reduced: true, userAgent: 'pbs-agent/1.0', width: 801, height: 601 });
  });
});

test.describe('with desktopNotifications', () => {
  test.use({ desktopNotifications: true });

  test('Chromium hands the desktop the title, the body, the origin and the buttons', { tag: '@once' }, async ({ page, desktop }) => {
    await notify(page);
    const shown = await desktop.waitForNotification({ title: 'New message' });
    expect(shown).toMatchObject({
      appName: 'Chromium',
      title: 'New message',
      body: 'Hi there',
      origin: host,
      buttons: ['Archive', 'Reply'],
      urgency: 'normal',
      closedBy: undefined,
    });
    expect(shown.actions).toEqual([
      { key: '0', label: 'Archive' },
      { key: '1', label: 'Reply' },
      { key: 'default', label: 'Activate' },
      { key: 'settings', label: 'Settings' },
    ]);
    expect(shown.icon).toMatch(/^file:\/\//);
    expect(desktop.open).toHaveLength(1);
  });

  test('the page still has it open, with what the desktop is never told', { tag: '@once' }, async ({ page, desktop }) => {
    await notify(page, { tag: 'order-42' });
    await expect(desktop).toHaveShownNotification({ title: 'New message' });
    const open = await getOpenNotifications(page, { tag: 'order-42' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      title: 'New message',
      body: 'Hi there',
      tag: 'order-42',
      requireInteraction: false,
      actions: [
        { action: 'archive', title: 'Archive' },
        { action: 'reply', title: 'Reply' },
      ],
    });
    expect(open[0]!.data).toMatchObject({ tag: 'order-42' });
    expect(await getOpenNotifications(page, { tag: 'other' })).toEqual([]);
  });

  test('a click on the notification runs notificationclick, whose openWindow() opens a page', async ({ page, context, clickNotification, desktop }) => {
    await notify(page, { tag: 'message-7' });
    const opened = context.waitForEvent('page');
    const clicked = await clickNotification({ title: 'New message' });
    expect(clicked.clicks).toEqual(['default']);
    const window = await opened;
    await expect(window).toHaveURL(`http://${host}/desktop-notifications/opened.html?tag=message-7`);
    await expect(window.locator('#tag')).toHaveText('message-7');
    await expect(page.locator('#last-event')).toHaveText('notificationclick "New message" tag=message-7 action=(none)');
    // The worker closed it: Chromium withdrew it from the desktop.
    await expect.poll(() => clicked.closedBy).toBe('browser');
    expect(desktop.open).toHaveLength(0);
  });

  test('a click on a button passes its action, by id or by label', { tag: '@once' }, async ({ page, context, clickNotification }) => {
    await notify(page, { tag: 'a' });
    const pagesBefore = context.pages().length;
    const clicked = await clickNotification({ title: 'New message', action: 'archive' });
    expect(clicked.clicks).toEqual(['0']);
    await expect(page.locator('#last-event')).toHaveText('notificationclick "New message" tag=a action=archive');
    expect(context.pages()).toHaveLength(pagesBefore);

    await notify(page, { title: 'Second', tag: 'b' });
    await clickNotification({ title: 'Second', action: 'Reply' });
    await expect(page.locator('#last-event')).toHaveText('notificationclick "Second" tag=b action=reply');
  });

  test('a notification is found by its tag', { tag: '@once' }, async ({ page, clickNotification }) => {
    await notify(page, { title: 'Same title', tag: 'first' });
    await notify(page, { title: 'Same title', tag: 'second' });
    await clickNotification({ tag: 'first', action: 'archive' });
    await expect(page.locator('#last-event')).toHaveText('notificationclick "Same title" tag=first action=archive');
  });

  test('dismissing it runs notificationclose', { tag: '@once' }, async ({ page, closeNotification, desktop }) => {
    await notify(page, { tag: 'bye' });
    const closed = await closeNotification({ title: 'New message' });
    expect(closed.closedBy).toBe('user');
    await expect(page.locator('#last-event')).toHaveText('notificationclose "New message" tag=bye');
    await expect.poll(() => getOpenNotifications(page)).toEqual([]);
    expect(desktop.open).toEqual([]);
  });

  test('an unknown title: the error lists what was shown', { tag: '@once' }, async ({ page, clickNotification }) => {
    await notify(page, { tag: 't' });
    const error = await clickNotification({ title: 'Nope', timeout: 300 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BackgroundServicesError);
    expect((error as Error).message).toBe(
      `clickNotification({ title: 'Nope', timeout: 300 }): no open notification matched within 300ms. Shown (1):\n` +
        `  1.  #1  "New message"  "Hi there"  ${host}  buttons: "Archive", "Reply"  normal  open`,
    );
  });

  test('an unknown button: the error lists the buttons', { tag: '@once' }, async ({ page, clickNotification }) => {
    await notify(page, { tag: 't' });
    const error = await clickNotification({ title: 'New message', action: 'delete' }).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `clickNotification({ title: 'New message', action: 'delete' }): notification #1 "New message" has no button "delete". Its buttons: 'archive' ("Archive"), 'reply' ("Reply").`,
    );
  });

  test.describe('toHaveShownNotification', () => {
    test('passes, and .not passes for what was not shown', { tag: '@once' }, async ({ page, desktop }) => {
      await notify(page, { buttons: false });
      await expect(desktop).toHaveShownNotification({ title: 'New message', body: 'Hi there' });
      await expect(desktop).toHaveShownNotification({ title: /new/i, origin: `http://${host}`, buttons: [] });
      await expect(desktop).not.toHaveShownNotification({ title: 'New message', body: 'Something else' });
    });

    test('fails with the shown notifications listed', { tag: '@once' }, async ({ page, desktop }) => {
      await notify(page);
      await expect(desktop).toHaveShownNotification({ title: 'New message' });
      const message = await failureOf(expect(desktop).toHaveShownNotification({ title: 'New message', body: 'Bye' }, { timeout: 200 }));
      expect(message).toBe(
        [
          `expect(desktop).toHaveShownNotification({ title: 'New message', body: 'Bye' }) failed`,
          '',
          `Expected: { title: 'New message', body: 'Bye' }`,
          'Received: 1 notification shown, none matching',
          'Timeout: 200ms',
          '',
          'Shown (1):',
          `  1.  #1  "New message"  "Hi there"  ${host}  buttons: "Archive", "Reply"  normal  open`,
        ].join('\n'),
      );
    });

    test('.not fails with the match named', { tag: '@once' }, async ({ page, desktop }) => {
      await notify(page, { buttons: false });
      await expect(desktop).toHaveShownNotification({ title: 'New message' });
      const message = await failureOf(expect(desktop).not.toHaveShownNotification({ body: 'Hi there' }, { timeout: 200 }));
      expect(message).toBe(
        [
          `expect(desktop).not.toHaveShownNotification({ body: 'Hi there' }) failed`,
          '',
          `Expected: not { body: 'Hi there' }`,
          'Received: #1 "New message"',
          'Timeout: 200ms',
          '',
          'Shown (1):',
          `  1.  #1  "New message"  "Hi there"  ${host}  normal  open`,
        ].join('\n'),
      );
    });
  });
});

test.describe('without desktopNotifications', () => {
  test('notifications are shown as before, in the usual context', async ({ page, recordBackgroundService, backgroundServicesSupport: support }) => {
    test.skip(!support.notifications.supported, support.notifications.reason);
    expect(page.context().browser()).not.toBeNull();
    const recording = await recordBackgroundService('notifications');
    await notify(page, { tag: 'plain' });
    await expect(recording).toHaveRecordedEvent({ eventName: 'Notification displayed', instanceId: 'plain' });
  });

  test('the fixtures fail at once: the desktop fixture without the option, the option on the headless shell', async () => {
    test.setTimeout(90_000);
    const run = await runConfig('tests/desktop-errors/playwright.config.ts');
    const results = new Map(run.report.suites.flatMap(allSpecs).map((spec) => [spec.title, spec.tests[0]!.results[0]!]));
    const withoutOption = results.get('uses the desktop fixture without the option')!;
    expect(withoutOption.status).toBe('failed');
    expect(withoutOption.errors[0]!.message).toContain(
      'BackgroundServicesError: The desktop fixture needs the desktopNotifications option: add test.use({ desktopNotifications: true }) ' +
        "(or use: { desktopNotifications: true } in playwright.config.ts), so that the test's browser is launched on the fixtures' session D-Bus, in a persistent context.",
    );
    const shell = results.get('asks for desktop notifications on the headless shell');
    test.skip(!shell, 'no chrome-headless-shell here');
    expect(shell!.status).toBe('failed');
    expect(shell!.errors[0]!.message).toMatch(
      /^UnsupportedFeatureError: test\.use\(\{ desktopNotifications: true \}\) needs Notifications, which chrome-headless-shell [\d.]+ does not support .*Fix: launch a full Chromium instead of the headless shell/,
    );
  });
});

test('startDesktopNotifications(): a missing dbus-daemon is an UnsupportedFeatureError naming the fix', async () => {
  const error = await startDesktopNotifications({ dbusDaemon: '/nonexistent/dbus-daemon' }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(UnsupportedFeatureError);
  expect((error as Error).message).toBe(
    'Desktop notifications need a private session D-Bus for Chromium to send its notifications to, but dbus-daemon was not found at /nonexistent/dbus-daemon. ' +
      'Fix: apt-get install dbus-daemon (Debian/Ubuntu; the package is `dbus` on older releases).',
  );
});

test('startDesktopNotifications() serves a browser of your own', async ({ playwright, launchOptions, baseURL }) => {
  const desktop = await startDesktopNotifications();
  const userDataDir = await mkdtemp(join(tmpdir(), 'pbs-own-'));
  try {
    const context = await playwright.chromium.launchPersistentContext(userDataDir, {
      ...launchOptions,
      env: { ...process.env, ...desktop.env },
      baseURL,
      permissions: ['notifications'],
    });
    desktop.attach(context);
    const page = await context.newPage();
    await notify(page, { tag: 'own' });
    await expect(desktop).toHaveShownNotification({ title: 'New message', origin: host });
    const opened = context.waitForEvent('page');
    await desktop.click({ tag: 'own' });
    await expect(await opened).toHaveURL(/opened\.html\?tag=own$/);
    await context.close();
  } finally {
    await desktop.stop();
    await rm(userDataDir, { recursive: true, force: true });
  }
  // The bus is gone with the desktop.
  expect(existsSync(desktop.env.DBUS_SESSION_BUS_ADDRESS.replace(/^unix:path=([^,]+).*$/, '$1'))).toBe(false);
});
