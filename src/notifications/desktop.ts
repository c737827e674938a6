import type { BrowserContext, Page } from '@playwright/test';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError } from '../cdp/errors.js';
import { assertTimeout, DEFAULT_TIMEOUT } from '../cdp/wait.js';
import { describeType } from '../background-services/events.js';
import { formatText, isTextMatch, type TextMatch } from '../background-services/filter.js';
import { startSessionBus, type SessionBus } from './bus.js';
import { getOpenNotifications, type OpenNotification } from './open.js';
import { serveNotifications, type NotificationServer, type NotifyCall } from './server.js';

const DESKTOP_BRAND = Symbol.for('playwright-background-services.desktop-notifications');

/** The freedesktop urgency levels (Chromium: `requireInteraction` is critical). */
export type NotificationUrgency = 'low' | 'normal' | 'critical';

/** Why a notification left the desktop. */
export type NotificationClosedBy =
  /** `closeNotification()`: the user dismissed it (NotificationClosed reason 2). */
  | 'user'
  /** Chromium withdrew it (`notification.close()`, or after a click was handled). */
  | 'browser'
  /** A newer notification with the same tag took its place. */
  | 'replaced';

/** What the desktop was asked to show: one `Notify` call, with its later clicks and closing. */
export interface DesktopNotification {
  /** The desktop's id for it (the one `Notify` returned). */
  id: number;
  /** `Chromium` (the browser's name, not the site's). */
  appName: string;
  title: string;
  /** The body the page gave, without the origin line Chromium puts before it. */
  body: string;
  /** The origin as Chromium shows it on the desktop: `localhost:3000`, `example.com`. */
  origin: string | undefined;
  /** The image Chromium handed the desktop (a `file://` URL of its own copy). */
  icon: string;
  /** Every action Chromium offered, with its label: the buttons (`'0'`, `'1'`…), `default`, `settings`. */
  actions: Array<{ key: string; label: string }>;
  /** The labels of the notification's buttons, in order (`actions: [{ title }]` on the page). */
  buttons: string[];
  urgency: NotificationUrgency | undefined;
  /** Every hint, as sent (image data shown as its D-Bus signature). */
  hints: Record<string, unknown>;
  /** Expiry in ms: -1 the desktop's default, 0 never (`requireInteraction`). */
  timeout: number;
  /** The action keys the test invoked, in order (`'default'` for a click on the body). */
  clicks: string[];
  /** Undefined while it is on the desktop. */
  closedBy: NotificationClosedBy | undefined;
}

/** What a notification must look like; strings match whole values, RegExps anywhere. */
export interface DesktopNotificationFilter {
  title?: TextMatch;
  body?: TextMatch;
  /** As the desktop shows it (`localhost:3000`); a full origin (`http://localhost:3000`) matches too. */
  origin?: TextMatch;
  /** The button labels, exactly and in order. */
  buttons?: readonly string[];
  urgency?: NotificationUrgency;
}

/** Which open notification a click or a dismissal is for: any of the filter's fields, or the page's `tag`. */
export interface NotificationTarget extends DesktopNotificationFilter {
  /** The `tag` the page gave `showNotification()`: looked up through the attached context's pages. */
  tag?: string;
  /** Milliseconds to wait for it to be shown; defaults to the expect timeout. */
  timeout?: number;
}

/** A click: on the notification's body, or on one of its buttons. */
export interface ClickNotificationTarget extends NotificationTarget {
  /** The button: its `action` id as the page gave it (`'archive'`) or its label (`'Archive'`). */
  action?: string;
}

export interface StartDesktopNotificationsOptions {
  /** The `dbus-daemon` to run; default: the one on the PATH (or /usr/bin). */
  dbusDaemon?: string;
  /** Default timeout of `click()`, `close()` and `waitForNotification()`, in ms (5000). */
  timeout?: number;
}

const FILTER_KEYS = ['title', 'body', 'origin', 'buttons', 'urgency'] as const;
const TARGET_KEYS = [...FILTER_KEYS, 'tag', 'timeout'] as const;
const CLICK_KEYS = [...TARGET_KEYS, 'action'] as const;
const URGENCIES: readonly NotificationUrgency[] = ['low', 'normal', 'critical'];
const USER_DISMISSED = 2;

/** Chromium writes the body as `<origin>\n\n<body>`. */
function splitBody(raw: string): { origin: string | undefined; body: string } {
  const at = raw.indexOf('\n\n');
  if (at >= 0) return { origin: raw.slice(0, at), body: raw.slice(at + 2) };
  return /^[^\s/]+$/.test(raw) ? { origin: raw, body: '' } : { origin: undefined, body: raw };
}

function toNotification(id: number, call: NotifyCall): DesktopNotification {
  const actions: Array<{ key: string; label: string }> = [];
  for (let i = 0; i + 1 < call.actions.length; i += 2) actions.push({ key: call.actions[i]!, label: call.actions[i + 1]! });
  const urgency = typeof call.hints.urgency === 'number' ? URGENCIES[call.hints.urgency] : undefined;
  return {
    id,
    appName: call.appName,
    title: call.summary,
    ...splitBody(call.body),
    icon: call.icon,
    actions,
    buttons: actions.filter((a) => /^\d+$/.test(a.key)).map((a) => a.label),
    urgency,
    hints: call.hints,
    timeout: call.timeout,
    clicks: [],
    closedBy: undefined,
  };
}

function testText(expected: TextMatch, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'string') return expected === actual;
  expected.lastIndex = 0;
  return expected.test(actual);
}

/** Matches the filter's fields; `tag` and `action` are the page's, checked elsewhere. */
export function matchesNotification(notification: DesktopNotification, filter: DesktopNotificationFilter): boolean {
  if (filter.title !== undefined && !testText(filter.title, notification.title)) return false;
  if (filter.body !== undefined && !testText(filter.body, notification.body)) return false;
  if (filter.origin !== undefined) {
    const origin = typeof filter.origin === 'string' ? filter.origin.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '') : filter.origin;
    if (!testText(origin, notification.origin)) return false;
  }
  if (filter.buttons !== undefined && (filter.buttons.length !== notification.buttons.length || filter.buttons.some((b, i) => b !== notification.buttons[i]))) return false;
  if (filter.urgency !== undefined && filter.urgency !== notification.urgency) return false;
  return true;
}

/** Throws a clear error for a mistyped filter or target instead of never matching. */
export function assertNotificationFilter(value: unknown, call: string, kind: 'filter' | 'target' | 'click' = 'filter'): void {
  const keys: readonly string[] = kind === 'click' ? CLICK_KEYS : kind === 'target' ? TARGET_KEYS : FILTER_KEYS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BackgroundServicesError(`${call}: expected an object such as { title: 'New message' }, got ${describeType(value)}.`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) throw new BackgroundServicesError(`${call}: unknown field '${key}'. Expected any of: ${keys.join(', ')}.`);
  }
  for (const key of ['title', 'body', 'origin'] as const) {
    if (record[key] !== undefined && !isTextMatch(record[key])) {
      throw new BackgroundServicesError(`${call}: '${key}' must be a string or a RegExp, got ${describeType(record[key])}.`);
    }
  }
  if (record.buttons !== undefined && (!Array.isArray(record.buttons) || record.buttons.some((b) => typeof b !== 'string'))) {
    throw new BackgroundServicesError(`${call}: 'buttons' must be an array of button labels such as ['Archive'], got ${describeType(record.buttons)}.`);
  }
  if (record.urgency !== undefined && !(URGENCIES as readonly unknown[]).includes(record.urgency)) {
    throw new BackgroundServicesError(`${call}: 'urgency' must be one of ${URGENCIES.join(', ')}, got ${describeType(record.urgency)}.`);
  }
  for (const key of ['tag', 'action'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'string') {
      throw new BackgroundServicesError(`${call}: '${key}' must be a string, got ${describeType(record[key])}.`);
    }
  }
  if (kind !== 'filter' && FILTER_KEYS.every((key) => record[key] === undefined) && record.tag === undefined) {
    throw new BackgroundServicesError(`${call}: say which notification, by title, body, origin, buttons, urgency or tag, e.g. { title: 'New message' }.`);
  }
  assertTimeout(record.timeout, call);
}

/** A filter or target printed as the user wrote it. */
export function formatNotificationFilter(filter: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    parts.push(`${key}: ${Array.isArray(value) ? `[${value.map((v) => formatText(v as string)).join(', ')}]` : formatText(value as TextMatch | number)}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function describeOne(n: DesktopNotification, index: number): string {
  const parts = [`${index + 1}.`, `#${n.id}`, JSON.stringify(n.title), JSON.stringify(n.body), n.origin ?? '(no origin)'];
  if (n.buttons.length) parts.push(`buttons: ${n.buttons.map((b) => JSON.stringify(b)).join(', ')}`);
  if (n.urgency) parts.push(n.urgency);
  parts.push(n.closedBy ? `closed by ${n.closedBy}` : 'open');
  if (n.clicks.length) parts.push(`clicked: ${n.clicks.join(', ')}`);
  return `  ${parts.join('  ')}`;
}

/**
 * The desktop's notification service, played by the test: Chromium, launched on its private
 * session bus (`env`), hands it every notification it shows, and the test clicks or dismisses
 * them as the user would. Clicks reach the service worker only in a persistent context.
 */
export class DesktopNotifications {
  /** @internal */
  readonly [DESKTOP_BRAND] = true;
  /** Give this to the browser's launch: `launchPersistentContext(dir, { env: { ...process.env, ...desktop.env } })`. */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string };
  private readonly shown: DesktopNotification[] = [];
  private readonly changes = new Emitter<void>();
  private nextId = 1;
  private server: NotificationServer | undefined;
  private context: BrowserContext | undefined;
  private disposed = false;

  /** @internal */
  constructor(
    private readonly bus: SessionBus,
    /** Default timeout in ms of `click()`, `close()` and `waitForNotification()`. */
    public timeout: number,
  ) {
    this.env = { DBUS_SESSION_BUS_ADDRESS: bus.address };
  }

  /** @internal */
  async serve(): Promise<void> {
    this.server = await serveNotifications(this.bus.address, {
      notify: (call) => {
        const replaced = call.replacesId ? this.shown.find((n) => n.id === call.replacesId && !n.closedBy) : undefined;
        if (replaced) replaced.closedBy = 'replaced';
        const notification = toNotification(replaced ? replaced.id : this.nextId++, call);
        this.shown.push(notification);
        this.changes.emit();
        return notification.id;
      },
      closeNotification: (id) => {
        const notification = this.openById(id);
        if (notification) {
          notification.closedBy = 'browser';
          this.changes.emit();
        }
      },
    });
  }

  /** Everything the desktop was asked to show, oldest first (live: later ones are added). */
  get notifications(): readonly DesktopNotification[] {
    return this.shown;
  }

  /** The notifications still on the desktop. */
  get open(): readonly DesktopNotification[] {
    return this.shown.filter((n) => !n.closedBy);
  }

  /** Calls back whenever a notification is shown, clicked or closed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  /**
   * Lets `tag` and action ids be looked up in this context's pages (`getNotifications()`):
   * the desktop is never told them. The fixtures attach their context themselves.
   */
  attach(context: BrowserContext | undefined): void {
    this.context = context;
  }

  /** Forgets what was shown (the fixtures do it between tests). @internal */
  clear(): void {
    this.shown.length = 0;
    this.nextId = 1;
  }

  /** The shown notifications, one a line, for messages. */
  describe(): string {
    if (!this.shown.length) {
      return 'Shown (0): nothing. Did the page call showNotification() with the notifications permission granted, in a browser launched with this desktop\'s env?';
    }
    return [`Shown (${this.shown.length}):`, ...this.shown.map(describeOne)].join('\n');
  }

  /**
   * Resolves with the first notification shown that matches (shown before or during the wait).
   *
   * @example
   * const shown = await desktop.waitForNotification({ title: 'New message' });
   * expect(shown.buttons).toEqual(['Archive']);
   */
  async waitForNotification(filter: DesktopNotificationFilter, options: { timeout?: number } = {}): Promise<DesktopNotification> {
    const call = `waitForNotification(${formatNotificationFilter(filter ?? {})})`;
    assertNotificationFilter(filter, call);
    const timeout = assertTimeout(options.timeout, call) ?? this.timeout;
    return this.waitUntil(call, timeout, 'no notification matched', async () => this.shown.find((n) => matchesNotification(n, filter)));
  }

  /**
   * The user clicks the notification (`'default'`), or one of its buttons (`action`). Waits for
   * it to be shown; resolves once the click is sent to the browser.
   *
   * @example
   * const opened = page.context().waitForEvent('page');
   * await desktop.click({ title: 'New message', action: 'archive' });
   * await opened;
   */
  async click(target: ClickNotificationTarget): Promise<DesktopNotification> {
    const call = `clickNotification(${formatNotificationFilter(target ?? {})})`;
    assertNotificationFilter(target, call, 'click');
    const { notification, open } = await this.find(target, call);
    let key = 'default';
    if (target.action !== undefined) key = this.buttonKey(notification, open, target.action, call);
    this.requireServer(call).actionInvoked(notification.id, key);
    notification.clicks.push(key);
    this.changes.emit();
    return notification;
  }

  /**
   * The user dismisses the notification (the desktop's NotificationClosed, reason 2): the
   * service worker gets `notificationclose`.
   *
   * @example
   * await desktop.close({ tag: 'order-42' });
   */
  async close(target: NotificationTarget): Promise<DesktopNotification> {
    const call = `closeNotification(${formatNotificationFilter(target ?? {})})`;
    assertNotificationFilter(target, call, 'target');
    const { notification } = await this.find(target, call);
    this.requireServer(call).notificationClosed(notification.id, USER_DISMISSED);
    notification.closedBy = 'user';
    this.changes.emit();
    return notification;
  }

  /** Stops serving and stops the bus. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.server?.dispose();
    await this.bus.dispose();
  }

  private requireServer(call: string): NotificationServer {
    if (!this.server || this.disposed) throw new BackgroundServicesError(`${call}: this desktop was disposed.`);
    return this.server;
  }

  private openById(id: number): DesktopNotification | undefined {
    return this.shown.find((n) => n.id === id && !n.closedBy);
  }

  private async find(target: ClickNotificationTarget, call: string): Promise<{ notification: DesktopNotification; open: OpenNotification | undefined }> {
    const timeout = assertTimeout(target.timeout, call) ?? this.timeout;
    if (target.tag !== undefined && !this.context) {
      throw new BackgroundServicesError(`${call}: a tag is the page's, and the desktop is never told it. Attach the browser context first (desktop.attach(context)) or name the notification by title.`);
    }
    return this.waitUntil(call, timeout, 'no open notification matched', async () => {
      const candidates = this.open.filter((n) => matchesNotification(n, target));
      if (!candidates.length) return undefined;
      if (target.tag === undefined && target.action === undefined) return { notification: candidates.at(-1)!, open: undefined };
      const pageOnes = await this.pageNotifications();
      if (target.tag === undefined) {
        const notification = candidates.at(-1)!;
        return { notification, open: pageOnes.find((p) => this.onDesktop(p, pageOnes) === notification) };
      }
      for (const open of pageOnes.filter((p) => p.tag === target.tag).reverse()) {
        const notification = this.onDesktop(open, pageOnes);
        if (notification && candidates.includes(notification)) return { notification, open };
      }
      return undefined;
    });
  }

  /**
   * The desktop's copy of a page's notification. The desktop has only title and body to go by:
   * among those alike, the page's and the desktop's are paired in the order they were shown,
   * counted from the newest.
   */
  private onDesktop(open: OpenNotification, pageOnes: readonly OpenNotification[]): DesktopNotification | undefined {
    const alike = pageOnes.filter((p) => p.title === open.title && p.body === open.body);
    const shown = this.open.filter((n) => n.title === open.title && n.body === open.body);
    return shown[shown.length - (alike.length - alike.indexOf(open))];
  }

  private buttonKey(notification: DesktopNotification, open: OpenNotification | undefined, action: string, call: string): string {
    let index = open?.actions.findIndex((a) => a.action === action) ?? -1;
    if (index < 0) index = notification.buttons.indexOf(action);
    if (index >= 0 && index < notification.buttons.length) return String(index);
    const ids = open ? open.actions.map((a) => `'${a.action}' ("${a.title}")`) : notification.buttons.map((b) => `"${b}"`);
    throw new BackgroundServicesError(
      `${call}: notification #${notification.id} ${JSON.stringify(notification.title)} has no button ${JSON.stringify(action)}. ` +
        (ids.length ? `Its buttons: ${ids.join(', ')}.` : 'It has no buttons: leave out action to click the notification itself.'),
    );
  }

  /** Every notification the context's pages' origins have open, oldest first. */
  private async pageNotifications(): Promise<OpenNotification[]> {
    const pages = this.context?.pages() ?? [];
    const seen = new Set<string>();
    const found: OpenNotification[] = [];
    for (const page of pages) {
      const origin = originOfPage(page);
      if (!origin || seen.has(origin)) continue;
      seen.add(origin);
      try {
        found.push(...(await getOpenNotifications(page)));
      } catch {
        // A page that navigated or closed meanwhile has nothing to say.
      }
    }
    return found.sort((a, b) => a.timestamp - b.timestamp);
  }

  private waitUntil<T>(call: string, timeout: number, missing: string, check: () => Promise<T | undefined>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let running = false;
      let again = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        unsubscribe();
        settle();
      };
      const run = async () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const value = await check();
            if (value !== undefined) return finish(() => resolve(value));
          } while (again && !settled);
        } catch (error) {
          finish(() => reject(error));
        } finally {
          running = false;
        }
      };
      const unsubscribe = this.changes.on(() => void run());
      const timer =
        timeout > 0
          ? setTimeout(() => finish(() => reject(new BackgroundServicesTimeoutError(`${call}: ${missing} within ${timeout}ms. ${this.describe()}`))), timeout)
          : undefined;
      void run();
    });
  }
}

function originOfPage(page: Page): string | undefined {
  try {
    const { origin } = new URL(page.url());
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function isDesktopNotifications(value: unknown): value is DesktopNotifications {
  return hasBrand(value, DESKTOP_BRAND);
}

/**
 * Starts a private session D-Bus and a notification server on it, for a fixture of your own.
 * Launch Chromium with its `env` in a persistent context (clicks reach the service worker only
 * there), then click and dismiss what it shows. Linux only; needs `dbus-daemon`.
 *
 * @example
 * const desktop = await startDesktopNotifications();
 * const context = await chromium.launchPersistentContext(dir, { env: { ...process.env, ...desktop.env } });
 * desktop.attach(context);
 * // … the page shows a notification …
 * await desktop.click({ title: 'New message' });
 * await context.close();
 * await desktop.dispose();
 */
export async function startDesktopNotifications(options: StartDesktopNotificationsOptions = {}): Promise<DesktopNotifications> {
  if (typeof options !== 'object' || options === null) {
    throw new BackgroundServicesError(`startDesktopNotifications(): options must be an object such as { timeout: 5000 }, got ${describeType(options)}.`);
  }
  if (options.dbusDaemon !== undefined && typeof options.dbusDaemon !== 'string') {
    throw new BackgroundServicesError(`startDesktopNotifications(): dbusDaemon must be the path of a dbus-daemon executable, got ${describeType(options.dbusDaemon)}.`);
  }
  const timeout = assertTimeout(options.timeout, 'startDesktopNotifications()') ?? DEFAULT_TIMEOUT;
  const bus = await startSessionBus(options.dbusDaemon === undefined ? {} : { dbusDaemon: options.dbusDaemon });
  const desktop = new DesktopNotifications(bus, timeout);
  try {
    await desktop.serve();
  } catch (error) {
    await bus.dispose();
    throw error;
  }
  return desktop;
}
