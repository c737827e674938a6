import type { Protocol } from 'devtools-protocol';
import type { Cdp } from '../cdp/cdp.js';
import { BackgroundServicesError, MissingCommandError } from '../cdp/errors.js';
import { SERVICES } from './services.js';

export type PermissionType = Protocol.Browser.PermissionType;

/**
 * What the six services need: a permission named as the service, for every service but push
 * (`deliverPushMessage` needs no subscription, so no permission).
 */
export const BACKGROUND_SERVICE_PERMISSIONS: readonly PermissionType[] = SERVICES.filter((service) => service !== 'pushMessaging');

/** Playwright's permission names (as in `use: { permissions }`) and the CDP types they map to. */
const PLAYWRIGHT_TO_CDP: Readonly<Record<string, PermissionType>> = {
  geolocation: 'geolocation',
  midi: 'midi',
  'midi-sysex': 'midiSysex',
  notifications: 'notifications',
  camera: 'videoCapture',
  microphone: 'audioCapture',
  'background-sync': 'backgroundSync',
  'periodic-background-sync': 'periodicBackgroundSync',
  'background-fetch': 'backgroundFetch',
  'payment-handler': 'paymentHandler',
  'ambient-light-sensor': 'sensors',
  accelerometer: 'sensors',
  gyroscope: 'sensors',
  magnetometer: 'sensors',
  'clipboard-read': 'clipboardReadWrite',
  'clipboard-write': 'clipboardSanitizedWrite',
  'storage-access': 'storageAccess',
  'local-fonts': 'localFonts',
  'idle-detection': 'idleDetection',
  'screen-wake-lock': 'wakeLockScreen',
  'window-management': 'windowManagement',
};

/** Accepts Playwright's names ('background-sync') and CDP's ('backgroundSync'). */
export function toCdpPermission(name: string): PermissionType {
  const mapped = PLAYWRIGHT_TO_CDP[name];
  if (mapped) return mapped;
  if (/^[a-z][A-Za-z]+$/.test(name)) return name as PermissionType;
  throw new BackgroundServicesError(
    `Unknown permission ${JSON.stringify(name)}. Use a Playwright permission name (${Object.keys(PLAYWRIGHT_TO_CDP).join(', ')}) ` +
      `or a CDP Browser.PermissionType such as 'backgroundSync'.`,
  );
}

/** The CDP id of the browser context a page session belongs to. */
export async function browserContextIdOf(cdp: Cdp): Promise<string | undefined> {
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  return targetInfo.browserContextId;
}

const contextIds = new WeakMap<object, Promise<string | undefined>>();

/** The CDP id of a Playwright context, asked once per context. */
export function cachedBrowserContextId(context: object, cdp: Cdp): Promise<string | undefined> {
  let id = contextIds.get(context);
  if (!id) {
    id = browserContextIdOf(cdp);
    id.catch(() => contextIds.delete(context));
    contextIds.set(context, id);
  }
  return id;
}

/** The W3C permission each CDP type stands for, for `Browser.setPermission`. */
const DESCRIPTORS: Partial<Record<PermissionType, Protocol.Browser.PermissionDescriptor>> = {
  notifications: { name: 'notifications' },
  backgroundSync: { name: 'background-sync' },
  periodicBackgroundSync: { name: 'periodic-background-sync' },
  backgroundFetch: { name: 'background-fetch' },
  paymentHandler: { name: 'payment-handler' },
  geolocation: { name: 'geolocation' },
  midi: { name: 'midi' },
  midiSysex: { name: 'midi', sysex: true },
  videoCapture: { name: 'camera' },
  audioCapture: { name: 'microphone' },
  clipboardReadWrite: { name: 'clipboard-read' },
  clipboardSanitizedWrite: { name: 'clipboard-write' },
  storageAccess: { name: 'storage-access' },
  localFonts: { name: 'local-fonts' },
  idleDetection: { name: 'idle-detection' },
  wakeLockScreen: { name: 'screen-wake-lock' },
  windowManagement: { name: 'window-management' },
};

/**
 * Grants the background services' permissions, plus `extra`, to every origin of the page's
 * browser context. `Browser.setPermission` (devtools-protocol's replacement for the deprecated
 * `grantPermissions`) sets each one and leaves the context's other grants alone. Where the
 * browser lacks it, or a permission has no W3C name here, one `Browser.grantPermissions` grants
 * them all together, since that call replaces the previous set.
 */
export async function grantPermissions(cdp: Cdp, extra: readonly string[] = [], context?: object): Promise<PermissionType[]> {
  const permissions = [...new Set([...BACKGROUND_SERVICE_PERMISSIONS, ...extra.map(toCdpPermission)])];
  const id = await (context ? cachedBrowserContextId(context, cdp) : browserContextIdOf(cdp));
  try {
    return await grantIn(cdp, permissions, id);
  } catch (error) {
    // Chromium 150 knows a persistent launch's default context by no id: no id means that context.
    if (id === undefined || !String(error).includes('Failed to find browser context')) throw error;
    return grantIn(cdp, permissions, undefined);
  }
}

async function grantIn(cdp: Cdp, permissions: PermissionType[], browserContextId: string | undefined): Promise<PermissionType[]> {
  const descriptors = permissions.map((permission) => DESCRIPTORS[permission]);
  if (descriptors.every((descriptor): descriptor is Protocol.Browser.PermissionDescriptor => descriptor !== undefined)) {
    try {
      await Promise.all(descriptors.map((permission) => cdp.send('Browser.setPermission', { permission, setting: 'granted', browserContextId })));
      return permissions;
    } catch (error) {
      if (!(error instanceof MissingCommandError)) throw error;
    }
  }
  await cdp.send('Browser.grantPermissions', { permissions, browserContextId });
  return permissions;
}
