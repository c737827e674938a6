import type { BrowserContext, Page } from '@playwright/test';
import { hasBrand } from '../cdp/brand.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError, BackgroundServicesTimeoutError } from '../cdp/errors.js';
import { assertTimeout, DEFAULT_TIMEOUT } from '../cdp/wait.js';
import { describeType } from '../background-services/events.js';
import { startSessionBus, type SessionBus } from './bus.js';
import {
  assertNotificationFilter,
  formatNotificationFilter,
  matchesNotification,
  type ClickNotificationTarget,
  type DesktopNotificationFilter,
  type NotificationTarget,
} from './filter.js';
import { toNotification, type DesktopNotification } from './notification.js';
import { getOpenNotifications, type OpenNotification } from './open.js';
import { serveNotifications, type NotificationServer } from './server.js';

const DESKTOP_BRAND = Symbol.for('playwright-background-services.desktop-notifications');

export interface StartDesktopNotificationsOptions {
  /** Default: the one on the PATH (or /usr/bin). */
  dbusDaemon?: string;
  /** Default wait, in ms (5000). */
  timeout?: number;
}

const USER_DISMISSED = 2;

function describeOne(n: DesktopNotification, index: number): string {
  const parts = [`${index + 1}.`, `#${n.id}`, JSON.stringify(n.title), JSON.stringify(n.body), n.origin ?? '(no origin)'];
  if (n.buttons.length) parts.push(`buttons: ${n.buttons.map((b) => JSON.stringify(b)).join(', ')}`);
  if (n.urgency) parts.push(n.urgency);
  parts.push(n.closedBy ? `closed by ${n.closedBy}` : 'open');
  if (n.clicks.length) parts.push(`clicked: ${n.clicks.join(', ')}`);
  return `  ${parts.join('  ')}`;
}

/** The desktop's notification service, played by the test. */
export class DesktopNotifications {
  /** @internal */
  readonly [DESKTOP_BRAND] = true;
  /** For the browser's launch. */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string };
  readonly #shown: DesktopNotification[] = [];
  readonly #changes = new Emitter<void>();
  #nextId = 1;
  #server: NotificationServer | undefined;
  #context: BrowserContext | undefined;
  #disposed = false;
  readonly #bus: SessionBus;

  /** @internal */
  constructor(
    bus: SessionBus,
    /** Default wait, in ms. */
    public timeout: number,
  ) {
    this.#bus = bus;
    this.env = { DBUS_SESSION_BUS_ADDRESS: bus.address };
  }

  /** @internal */
  async serve(): Promise<void> {
    this.#server = await serveNotifications(this.#bus.address, {
      notify: (call) => {
        const replaced = call.replacesId ? this.#shown.find((n) => n.id === call.replacesId && !n.closedBy) : undefined;
        if (replaced) replaced.closedBy = 'replaced';
        const notification = toNotification(replaced ? replaced.id : this.#nextId++, call);
        this.#shown.push(notification);
        this.#changes.emit();
        return notification.id;
      },
      closeNotification: (id) => {
        const notification = this.#openById(id);
        if (notification) {
          notification.closedBy = 'browser';
          this.#changes.emit();
        }
      },
    });
  }

  /** Everything shown, oldest first (live). */
  get notifications(): readonly DesktopNotification[] {
    return this.#shown;
  }

  get open(): readonly DesktopNotification[] {
    return this.#shown.filter((n) => !n.closedBy);
  }

  /** @internal Calls back whenever a notification is shown, clicked or closed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    return this.#changes.on(listener);
  }

  /** Where `tag` and action ids are looked up. */
  attach(context: BrowserContext | undefined): void {
    this.#context = context;
  }

  /** Forgets what was shown (the fixtures do it between tests). @internal */
  clear(): void {
    this.#shown.length = 0;
    this.#nextId = 1;
  }

  /** @internal The shown notifications, one a line, for messages. */
  describe(): string {
    if (!this.#shown.length) {
      return "Shown (0): nothing. Did the page call showNotification() with the notifications permission granted, in a browser launched with this desktop's env?";
    }
    return [`Shown (${this.#shown.length}):`, ...this.#shown.map(describeOne)].join('\n');
  }

  /**
   * Resolves with the first notification shown that matches.
   * @example
   * await desktop.waitForNotification({ title: 'Hi' });
   */
  async waitForNotification(filter: DesktopNotificationFilter, options: { timeout?: number } = {}): Promise<DesktopNotification> {
    const call = `waitForNotification(${formatNotificationFilter(filter ?? {})})`;
    assertNotificationFilter(filter, call);
    const timeout = assertTimeout(options.timeout, call) ?? this.timeout;
    return this.#waitUntil(call, timeout, 'no notification matched', () => Promise.resolve(this.#shown.find((n) => matchesNotification(n, filter))));
  }

  /**
   * Clicks the notification, or its button `action`, once shown.
   * @example
   * await desktop.click({ title: 'Hi', action: 'archive' });
   */
  async click(target: ClickNotificationTarget): Promise<DesktopNotification> {
    const call = `clickNotification(${formatNotificationFilter(target ?? {})})`;
    assertNotificationFilter(target, call, 'click');
    const { notification, open } = await this.#find(target, call);
    let key = 'default';
    if (target.action !== undefined) key = this.#buttonKey(notification, open, target.action, call);
    this.#requireServer(call).actionInvoked(notification.id, key);
    notification.clicks.push(key);
    this.#changes.emit();
    return notification;
  }

  /**
   * Dismisses the notification as the user does: the worker gets `notificationclose`.
   * @example
   * await desktop.close({ title: 'Hi' });
   */
  async close(target: NotificationTarget): Promise<DesktopNotification> {
    const call = `closeNotification(${formatNotificationFilter(target ?? {})})`;
    assertNotificationFilter(target, call, 'target');
    const { notification } = await this.#find(target, call);
    this.#requireServer(call).notificationClosed(notification.id, USER_DISMISSED);
    notification.closedBy = 'user';
    this.#changes.emit();
    return notification;
  }

  /**
   * Stops serving and stops the bus.
   * @example
   * await desktop.stop();
   */
  async stop(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#server?.dispose();
    await this.#bus.dispose();
  }

  #requireServer(call: string): NotificationServer {
    if (!this.#server || this.#disposed) throw new BackgroundServicesError(`${call}: this desktop was stopped (stop()).`);
    return this.#server;
  }

  #openById(id: number): DesktopNotification | undefined {
    return this.#shown.find((n) => n.id === id && !n.closedBy);
  }

  async #find(target: ClickNotificationTarget, call: string): Promise<{ notification: DesktopNotification; open: OpenNotification | undefined }> {
    const timeout = assertTimeout(target.timeout, call) ?? this.timeout;
    if (target.tag !== undefined && !this.#context) {
      throw new BackgroundServicesError(
        `${call}: a tag is the page's, and the desktop is never told it. Attach the browser context first (desktop.attach(context)) or name the notification by title.`,
      );
    }
    return this.#waitUntil(call, timeout, 'no open notification matched', async () => {
      const candidates = this.open.filter((n) => matchesNotification(n, target));
      if (!candidates.length) return undefined;
      if (target.tag === undefined && target.action === undefined) return { notification: candidates.at(-1)!, open: undefined };
      const pageOnes = await this.#pageNotifications();
      if (target.tag === undefined) {
        const notification = candidates.at(-1)!;
        return { notification, open: pageOnes.find((p) => this.#onDesktop(p, pageOnes) === notification) };
      }
      for (const open of pageOnes.filter((p) => p.tag === target.tag).reverse()) {
        const notification = this.#onDesktop(open, pageOnes);
        if (notification && candidates.includes(notification)) return { notification, open };
      }
      return undefined;
    });
  }

  // The desktop's copy of a page's notification. The desktop has only title and body to go by:
  // among those alike, the page's and the desktop's are paired in the order they were shown,
  // counted from the newest.
  #onDesktop(open: OpenNotification, pageOnes: readonly OpenNotification[]): DesktopNotification | undefined {
    const alike = pageOnes.filter((p) => p.title === open.title && p.body === open.body);
    const shown = this.open.filter((n) => n.title === open.title && n.body === open.body);
    return shown[shown.length - (alike.length - alike.indexOf(open))];
  }

  #buttonKey(notification: DesktopNotification, open: OpenNotification | undefined, action: string, call: string): string {
    let index = open?.actions.findIndex((a) => a.action === action) ?? -1;
    if (index < 0) index = notification.buttons.indexOf(action);
    if (index >= 0 && index < notification.buttons.length) return String(index);
    const ids = open ? open.actions.map((a) => `'${a.action}' ("${a.title}")`) : notification.buttons.map((b) => `"${b}"`);
    throw new BackgroundServicesError(
      `${call}: notification #${notification.id} ${JSON.stringify(notification.title)} has no button ${JSON.stringify(action)}. ` +
        (ids.length ? `Its buttons: ${ids.join(', ')}.` : 'It has no buttons: leave out action to click the notification itself.'),
    );
  }

  // Every notification the context's pages' origins have open, oldest first.
  async #pageNotifications(): Promise<OpenNotification[]> {
    const pages = this.#context?.pages() ?? [];
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

  #waitUntil<T>(call: string, timeout: number, missing: string, check: () => Promise<T | undefined>): Promise<T> {
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
      const unsubscribe = this.#changes.on(() => void run());
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
 * Starts a private D-Bus with a notification server on it. Linux only.
 * @example
 * const desktop = await startDesktopNotifications();
 */
export async function startDesktopNotifications(options: StartDesktopNotificationsOptions = {}): Promise<DesktopNotifications> {
  if (typeof options !== 'object' || options === null) {
    throw new BackgroundServicesError(`startDesktopNotifications(): options must be an object such as { timeout: 5000 }, got ${describeType(options)}.`);
  }
  if (options.dbusDaemon !== undefined && typeof options.dbusDaemon !== 'string') {
    throw new BackgroundServicesError(
      `startDesktopNotifications(): dbusDaemon must be the path of a dbus-daemon executable, got ${describeType(options.dbusDaemon)}.`,
    );
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
