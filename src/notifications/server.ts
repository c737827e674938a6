import type { MessageBus, Variant } from 'dbus-next';
import { BackgroundServicesError } from '../cdp/errors.js';

/** One `Notify` call, as Chromium made it. */
export interface NotifyCall {
  appName: string;
  replacesId: number;
  icon: string;
  summary: string;
  body: string;
  /** Flat key/label pairs: `['0', 'Archive', 'default', 'Activate', 'settings', 'Settings']`. */
  actions: string[];
  hints: Record<string, unknown>;
  timeout: number;
}

/** What the server does with the desktop's side of the protocol. */
export interface NotificationServerHandler {
  /** Returns the id the notification gets on the desktop. */
  notify(call: NotifyCall): number;
  /** Chromium withdrew the notification (the app closed it, or a click was handled). */
  closeNotification(id: number): void;
}

/** The server side of org.freedesktop.Notifications on a bus: methods in, signals out. */
export interface NotificationServer {
  /** The user clicked the notification (`'default'`) or one of its buttons (`'0'`, `'1'`, …). */
  actionInvoked(id: number, key: string): void;
  /** The notification went away; reason 2 is "dismissed by the user". */
  notificationClosed(id: number, reason: number): void;
  dispose(): Promise<void>;
}

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
// Plain text bodies: with `body-markup` Chromium would escape the body as markup.
const CAPABILITIES = ['actions', 'body', 'icon-static', 'persistence'];

function plainHints(hints: Record<string, Variant>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, variant] of Object.entries(hints)) {
    // Image data (`ay`, `(iiibiiay)`) is kept out: it is bytes, not something to assert on.
    plain[key] = variant.signature.includes('ay') ? `<${variant.signature}>` : variant.value;
  }
  return plain;
}

/**
 * Connects to the bus at `address`, owns org.freedesktop.Notifications there and serves it.
 * dbus-next is loaded here, on first use, so that the rest of the library does not load it.
 */
export async function serveNotifications(address: string, handler: NotificationServerHandler): Promise<NotificationServer> {
  const dbus = (await import('dbus-next')).default;
  class Notifications extends dbus.interface.Interface {
    GetCapabilities(): string[] {
      return CAPABILITIES;
    }
    GetServerInformation(): string[] {
      return ['playwright-background-services', 'playwright-background-services', '1', '1.2'];
    }
    Notify(
      appName: string,
      replacesId: number,
      icon: string,
      summary: string,
      body: string,
      actions: string[],
      hints: Record<string, Variant>,
      timeout: number,
    ): number {
      return handler.notify({ appName, replacesId, icon, summary, body, actions, hints: plainHints(hints), timeout });
    }
    CloseNotification(id: number): void {
      handler.closeNotification(id);
    }
    ActionInvoked(id: number, key: string): [number, string] {
      return [id, key];
    }
    NotificationClosed(id: number, reason: number): [number, number] {
      return [id, reason];
    }
  }
  Notifications.configureMembers({
    methods: {
      GetCapabilities: { outSignature: 'as' },
      GetServerInformation: { outSignature: 'ssss' },
      Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
      CloseNotification: { inSignature: 'u' },
    },
    signals: { ActionInvoked: { signature: 'us' }, NotificationClosed: { signature: 'uu' } },
  });
  const bus: MessageBus = dbus.sessionBus({ busAddress: address });
  const iface = new Notifications(NAME);
  bus.export(PATH, iface);
  // DBUS_NAME_FLAG_DO_NOT_QUEUE: fail rather than wait behind another owner.
  const reply = await bus.requestName(NAME, 4);
  if (reply !== 1) {
    bus.disconnect();
    throw new BackgroundServicesError(
      `Could not own ${NAME} on ${address} (request name reply ${reply}): another process owns it on this private bus. Stop that process, or report this as a bug.`,
    );
  }
  return {
    actionInvoked: (id, key) => void iface.ActionInvoked(id, key),
    notificationClosed: (id, reason) => void iface.NotificationClosed(id, reason),
    dispose() {
      bus.disconnect();
      return Promise.resolve();
    },
  };
}
