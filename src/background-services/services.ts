import type { Protocol } from 'devtools-protocol';
import { BackgroundServicesError } from '../cdp/errors.js';

/** A background service, as DevTools names it. */
export type ServiceName = Protocol.BackgroundService.ServiceName;

/** The six services, in DevTools' order. */
export const SERVICES: readonly ServiceName[] = [
  'backgroundFetch',
  'backgroundSync',
  'notifications',
  'paymentHandler',
  'periodicBackgroundSync',
  'pushMessaging',
];

/** The titles DevTools gives each service's pane. */
export const SERVICE_TITLES: Readonly<Record<ServiceName, string>> = {
  backgroundFetch: 'Background Fetch',
  backgroundSync: 'Background Sync',
  notifications: 'Notifications',
  paymentHandler: 'Payment Handler',
  periodicBackgroundSync: 'Periodic Background Sync',
  pushMessaging: 'Push Messaging',
};

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}

function closest(value: string): ServiceName[] {
  const normalized = value.toLowerCase().replace(/[^a-z]/g, '');
  if (normalized.length < 3) return [];
  const prefixed = SERVICES.filter((service) => {
    const candidate = service.toLowerCase();
    const title = SERVICE_TITLES[service].toLowerCase().replace(/[^a-z]/g, '');
    return candidate.startsWith(normalized) || normalized.startsWith(candidate.slice(0, 5)) || title === normalized;
  });
  return prefixed.length ? prefixed.slice(0, 1) : SERVICES.filter((service) => service.toLowerCase().includes(normalized));
}

/** Checks a service name and says which names exist when it is not one of them. */
export function assertServiceName(value: unknown, call: string): ServiceName {
  if (isServiceName(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
  const hint =
    typeof value === 'string'
      ? closest(value)
          .map((name) => `'${name}'`)
          .join(' or ')
      : undefined;
  throw new BackgroundServicesError(
    `${call}: unknown background service ${shown}. Expected one of: ${SERVICES.join(', ')}.` + (hint ? ` Did you mean ${hint}?` : ''),
  );
}

/** Normalizes the `services` argument: one name, a list, or nothing for all six. */
export function normalizeServices(services: ServiceName | readonly ServiceName[] | undefined, call: string): ServiceName[] {
  if (services === undefined) return [...SERVICES];
  const list = Array.isArray(services) ? services : [services];
  if (list.length === 0) {
    throw new BackgroundServicesError(`${call}: the list of services is empty. Pass one or more of: ${SERVICES.join(', ')}, or nothing to record all of them.`);
  }
  return [...new Set(list.map((service: unknown) => assertServiceName(service, call)))];
}
