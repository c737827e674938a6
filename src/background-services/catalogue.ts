import type { ServiceName } from './services.js';

export type YesNo = readonly ['Yes', 'No'];
export type TrueFalse = readonly ['true', 'false'];
// `GetEventStatusString` in content/browser/background_sync/background_sync_manager.cc.
export type SyncStatus = readonly ['succeeded', 'waitUntil rejected', 'failed', 'aborted', 'timeout', 'unknown error'];
// One line each, here and in the published .d.ts (its printer keeps a tuple's lines).
// prettier-ignore
export type FetchFailureReason = readonly ['CANCELLED_FROM_UI', 'CANCELLED_BY_DEVELOPER', 'BAD_STATUS', 'FETCH_ERROR', 'SERVICE_WORKER_UNAVAILABLE', 'QUOTA_EXCEEDED', 'DOWNLOAD_TOTAL_EXCEEDED'];
// prettier-ignore
export type PaymentResponseType = readonly ['PAYMENT_EVENT_SUCCESS', 'PAYMENT_EVENT_REJECT', 'PAYMENT_HANDLER_WINDOW_CLOSING', 'PAYMENT_EVENT_NO_RESPONSE', 'PAYMENT_EVENT_TIMEOUT', 'PAYMENT_EVENT_BROWSER_ERROR', 'PAYMENT_EVENT_INTERNAL_ERROR', 'PAYMENT_EVENT_SERVICE_WORKER_ERROR', 'PAYMENT_HANDLER_ACTIVITY_DIED', 'PAYMENT_HANDLER_FAIL_TO_LOAD_MAIN_FRAME', 'PAYMENT_HANDLER_INSECURE_NAVIGATION', 'PAYMENT_HANDLER_INSTALL_FAILED', 'PAYMENT_METHOD_NAME_EMPTY', 'PAYMENT_DETAILS_ABSENT', 'PAYMENT_DETAILS_NOT_OBJECT', 'PAYMENT_DETAILS_STRINGIFY_ERROR', 'PAYER_NAME_EMPTY', 'PAYER_EMAIL_EMPTY', 'PAYER_PHONE_EMPTY', 'SHIPPING_ADDRESS_INVALID', 'SHIPPING_OPTION_EMPTY'];
export interface NextDelay {
  'Next Attempt Delay (ms)': 'text';
}
export interface Merchant {
  'Merchant Top Origin': 'text';
  'Merchant Payment Request Origin': 'text';
}
export interface Modifiers {
  'Modifier #<n> Method Name': 'text';
  'Modifier #<n> Method Data': 'text';
  'Modifier #<n> Total Currency': 'text';
  'Modifier #<n> Total Value': 'text';
}
export interface Methods {
  'Method Name #<n>': 'text';
  'Method Data #<n>': 'text';
}

/** An event that logs no metadata. */
export type NoMetadata = Record<never, never>;

// Written out rather than inferred from the value: the .d.ts then names the shared parts once
// instead of repeating them, expanded and `readonly` at every level (issue 21: half the size).
// The value below is checked against it key by key, value by value.
export interface BackgroundFetchEvents {
  'Background Fetch registered': { 'Total Requests': 'number'; 'Start Paused': YesNo };
  'Background Fetch resuming after browser restart': { 'Completed Requests': 'number'; 'Active Requests': 'number' };
  'Background Fetch started': NoMetadata;
  'Request processing started': { URL: 'text'; 'Request Index': 'number'; 'Upload Size (bytes)': 'number' };
  'Request processing completed': {
    URL: 'text';
    'Request Index': 'number';
    'Response Status': 'number';
    'Response Size (bytes)': 'number';
    'Upload Size (bytes)': 'number';
  };
  'Background Fetch completed': {
    'Event Type': readonly ['BackgroundFetchSuccessEvent', 'BackgroundFetchFailEvent', 'BackgroundFetchAbortEvent'];
    'Failure Reason': FetchFailureReason;
  };
}
export interface BackgroundSyncEvents {
  'Registered sync': NoMetadata;
  'Dispatched sync event': { 'Last Chance': YesNo };
  'sync event failed': NextDelay & { 'Failure Reason': SyncStatus };
  'Sync event reregistered': NoMetadata;
  'Sync completed': { Status: SyncStatus };
}
export interface NotificationEvents {
  'Notification displayed': { Title: 'text'; Body: 'text' };
  'Notification closed': NoMetadata;
  'Notification clicked': { 'Action Index': 'number'; Reply: 'text' };
  'Notification scheduled': { 'Show Trigger Timestamp': 'text'; Title: 'text'; Body: 'text' };
}
export interface PaymentHandlerEvents {
  'Install payment handler': Merchant & {
    'Method Name': 'text';
    'Payment Handler Name': 'text';
    'Service Worker JavaScript File URL': 'text';
    'Service Worker Scope': 'text';
    'Service Worker Uses Cache': TrueFalse;
  };
  'Install payment handler result': { 'Payment Handler Install Success': TrueFalse };
  'Payment request': Merchant & Methods & Modifiers & { 'Total Currency': 'text'; 'Total Value': 'text'; 'Instrument Key': 'text' };
  'Payment response': {
    'Method Name': 'text';
    Details: 'text';
    Type: PaymentResponseType;
  };
  'Can make payment': Merchant & Methods & Modifiers;
  'Can make payment response': { Type: 'text'; 'Can Make Payment': TrueFalse };
  'Abort payment': NoMetadata;
  'Abort payment response': { 'Payment Aborted': TrueFalse };
  'Change payment method': { 'Method Name': 'text'; 'Method Data': 'text' };
  'Change shipping option': { 'Shipping Option Id': 'text' };
  'Change shipping address': {
    Country: 'text';
    'Address Line #<n>': 'text';
    Region: 'text';
    City: 'text';
    'Dependent Locality': 'text';
    'Postal Code': 'text';
    'Sorting Code': 'text';
    Organization: 'text';
    Recipient: 'text';
    Phone: 'text';
  };
  'Update with': Modifiers & {
    Error: 'text';
    'Total Currency': 'text';
    'Total Value': 'text';
    'Payment Method Errors': 'text';
    'Shipping Address Address Line Error': 'text';
    'Shipping Address City Error': 'text';
    'Shipping Address Country Error': 'text';
    'Shipping Address Dependent Locality Error': 'text';
    'Shipping Address Organization Error': 'text';
    'Shipping Address Phone Error': 'text';
    'Shipping Address Postal Code Error': 'text';
    'Shipping Address Recipient Error': 'text';
    'Shipping Address Region Error': 'text';
    'Shipping Address Sorting Code Error': 'text';
    'Shipping Option #<n> Id': 'text';
    'Shipping Option #<n> Label': 'text';
    'Shipping Option #<n> Amount Currency': 'text';
    'Shipping Option #<n> Amount Value': 'text';
    'Shipping Option #<n> Selected': TrueFalse;
  };
}
export interface PeriodicBackgroundSyncEvents {
  'Registered periodicsync': { minInterval: 'number' };
  'Got next event delay': NextDelay;
  'Dispatched periodicsync event': NoMetadata;
  'periodicsync event completed': NextDelay;
  'periodicsync event failed': NextDelay & { 'Failure Reason': SyncStatus };
  'Sync event reregistered': NoMetadata;
  'Unregistered periodicsync': NoMetadata;
}
export interface PushMessagingEvents {
  'Push message received': { Success: YesNo; 'Was Encrypted': YesNo; 'Error Reason': 'text'; Payload: 'text' };
  'Push event dispatched': { Payload: 'text' };
  'Push event completed': { Status: readonly ['Success', 'waitUntil Rejected', 'Timeout'] };
}
/** service → event name → metadata key → `'text'`, `'number'` (a decimal string) or the values Chromium writes. */
export interface EventCatalogue {
  backgroundFetch: BackgroundFetchEvents;
  backgroundSync: BackgroundSyncEvents;
  notifications: NotificationEvents;
  paymentHandler: PaymentHandlerEvents;
  periodicBackgroundSync: PeriodicBackgroundSyncEvents;
  pushMessaging: PushMessagingEvents;
}
export type DeepReadonly<T> = { readonly [K in keyof T]: DeepReadonly<T[K]> };

const yesNo: YesNo = ['Yes', 'No'];
const trueFalse: TrueFalse = ['true', 'false'];
const syncStatus: SyncStatus = ['succeeded', 'waitUntil rejected', 'failed', 'aborted', 'timeout', 'unknown error'];
const modifierKeys: Modifiers = {
  'Modifier #<n> Method Name': 'text',
  'Modifier #<n> Method Data': 'text',
  'Modifier #<n> Total Currency': 'text',
  'Modifier #<n> Total Value': 'text',
};
const merchant: Merchant = { 'Merchant Top Origin': 'text', 'Merchant Payment Request Origin': 'text' };

// From the `LogBackgroundServiceEvent` calls in Chromium's source. The filter types derive from it.
/**
 * Every event Chromium logs per service, with its metadata. See docs/events.md.
 * @example
 * EVENT_CATALOGUE.pushMessaging['Push event completed'].Status; // ['Success', 'waitUntil Rejected', 'Timeout']
 */
export const EVENT_CATALOGUE: DeepReadonly<EventCatalogue> = {
  backgroundFetch: {
    'Background Fetch registered': { 'Total Requests': 'number', 'Start Paused': yesNo },
    'Background Fetch resuming after browser restart': { 'Completed Requests': 'number', 'Active Requests': 'number' },
    'Background Fetch started': {},
    'Request processing started': { URL: 'text', 'Request Index': 'number', 'Upload Size (bytes)': 'number' },
    'Request processing completed': {
      URL: 'text',
      'Request Index': 'number',
      'Response Status': 'number',
      'Response Size (bytes)': 'number',
      'Upload Size (bytes)': 'number',
    },
    'Background Fetch completed': {
      'Event Type': ['BackgroundFetchSuccessEvent', 'BackgroundFetchFailEvent', 'BackgroundFetchAbortEvent'],
      'Failure Reason': [
        'CANCELLED_FROM_UI',
        'CANCELLED_BY_DEVELOPER',
        'BAD_STATUS',
        'FETCH_ERROR',
        'SERVICE_WORKER_UNAVAILABLE',
        'QUOTA_EXCEEDED',
        'DOWNLOAD_TOTAL_EXCEEDED',
      ],
    },
  },
  backgroundSync: {
    'Registered sync': {},
    'Dispatched sync event': { 'Last Chance': yesNo },
    'sync event failed': { 'Next Attempt Delay (ms)': 'text', 'Failure Reason': syncStatus },
    'Sync event reregistered': {},
    'Sync completed': { Status: syncStatus },
  },
  notifications: {
    'Notification displayed': { Title: 'text', Body: 'text' },
    'Notification closed': {},
    'Notification clicked': { 'Action Index': 'number', Reply: 'text' },
    'Notification scheduled': { 'Show Trigger Timestamp': 'text', Title: 'text', Body: 'text' },
  },
  paymentHandler: {
    'Install payment handler': {
      ...merchant,
      'Method Name': 'text',
      'Payment Handler Name': 'text',
      'Service Worker JavaScript File URL': 'text',
      'Service Worker Scope': 'text',
      'Service Worker Uses Cache': trueFalse,
    },
    'Install payment handler result': { 'Payment Handler Install Success': trueFalse },
    'Payment request': {
      ...merchant,
      'Total Currency': 'text',
      'Total Value': 'text',
      'Instrument Key': 'text',
      'Method Name #<n>': 'text',
      'Method Data #<n>': 'text',
      ...modifierKeys,
    },
    'Payment response': {
      'Method Name': 'text',
      Details: 'text',
      Type: [
        'PAYMENT_EVENT_SUCCESS',
        'PAYMENT_EVENT_REJECT',
        'PAYMENT_HANDLER_WINDOW_CLOSING',
        'PAYMENT_EVENT_NO_RESPONSE',
        'PAYMENT_EVENT_TIMEOUT',
        'PAYMENT_EVENT_BROWSER_ERROR',
        'PAYMENT_EVENT_INTERNAL_ERROR',
        'PAYMENT_EVENT_SERVICE_WORKER_ERROR',
        'PAYMENT_HANDLER_ACTIVITY_DIED',
        'PAYMENT_HANDLER_FAIL_TO_LOAD_MAIN_FRAME',
        'PAYMENT_HANDLER_INSECURE_NAVIGATION',
        'PAYMENT_HANDLER_INSTALL_FAILED',
        'PAYMENT_METHOD_NAME_EMPTY',
        'PAYMENT_DETAILS_ABSENT',
        'PAYMENT_DETAILS_NOT_OBJECT',
        'PAYMENT_DETAILS_STRINGIFY_ERROR',
        'PAYER_NAME_EMPTY',
        'PAYER_EMAIL_EMPTY',
        'PAYER_PHONE_EMPTY',
        'SHIPPING_ADDRESS_INVALID',
        'SHIPPING_OPTION_EMPTY',
      ],
    },
    'Can make payment': { ...merchant, 'Method Name #<n>': 'text', 'Method Data #<n>': 'text', ...modifierKeys },
    'Can make payment response': { Type: 'text', 'Can Make Payment': trueFalse },
    'Abort payment': {},
    'Abort payment response': { 'Payment Aborted': trueFalse },
    'Change payment method': { 'Method Name': 'text', 'Method Data': 'text' },
    'Change shipping option': { 'Shipping Option Id': 'text' },
    'Change shipping address': {
      Country: 'text',
      'Address Line #<n>': 'text',
      Region: 'text',
      City: 'text',
      'Dependent Locality': 'text',
      'Postal Code': 'text',
      'Sorting Code': 'text',
      Organization: 'text',
      Recipient: 'text',
      Phone: 'text',
    },
    'Update with': {
      Error: 'text',
      'Total Currency': 'text',
      'Total Value': 'text',
      'Payment Method Errors': 'text',
      'Shipping Address Address Line Error': 'text',
      'Shipping Address City Error': 'text',
      'Shipping Address Country Error': 'text',
      'Shipping Address Dependent Locality Error': 'text',
      'Shipping Address Organization Error': 'text',
      'Shipping Address Phone Error': 'text',
      'Shipping Address Postal Code Error': 'text',
      'Shipping Address Recipient Error': 'text',
      'Shipping Address Region Error': 'text',
      'Shipping Address Sorting Code Error': 'text',
      ...modifierKeys,
      'Shipping Option #<n> Id': 'text',
      'Shipping Option #<n> Label': 'text',
      'Shipping Option #<n> Amount Currency': 'text',
      'Shipping Option #<n> Amount Value': 'text',
      'Shipping Option #<n> Selected': trueFalse,
    },
  },
  periodicBackgroundSync: {
    'Registered periodicsync': { minInterval: 'number' },
    'Got next event delay': { 'Next Attempt Delay (ms)': 'text' },
    'Dispatched periodicsync event': {},
    'periodicsync event completed': { 'Next Attempt Delay (ms)': 'text' },
    'periodicsync event failed': { 'Next Attempt Delay (ms)': 'text', 'Failure Reason': syncStatus },
    'Sync event reregistered': {},
    'Unregistered periodicsync': {},
  },
  pushMessaging: {
    'Push message received': { Success: yesNo, 'Was Encrypted': yesNo, 'Error Reason': 'text', Payload: 'text' },
    'Push event dispatched': { Payload: 'text' },
    'Push event completed': { Status: ['Success', 'waitUntil Rejected', 'Timeout'] },
  },
};

export type Events<S extends ServiceName> = (typeof EVENT_CATALOGUE)[S];

/** Chromium's event names for `service` (all when omitted). */
export type EventName<S extends ServiceName = ServiceName> = S extends ServiceName ? keyof Events<S> & string : never;

// The metadata spec of one event, or a union of specs when `E` is a union.
export type MetadataSpecOf<S extends ServiceName, E> = S extends ServiceName ? (E extends keyof Events<S> ? Events<S>[E] : never) : never;

export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
// ` #<n>` marks a numbered key: `Method Name` for one item, `Method Name #0` to `#9` for several
// (finite keys: a `${number}` pattern would be an index signature, which turns off the check
// of misspelt keys).
export type ExpandKey<K> = K extends `${infer A} #<n>${infer B}` ? `${A}${B}` | `${A} #${Digit}${B}` : K;

export type ValueOf<V> = V extends readonly (infer T)[] ? T : V extends 'number' ? `${number}` : string;
export type KeysOf<U> = U extends unknown ? keyof U & string : never;
export type ValueAcross<U, K> = U extends unknown ? (K extends keyof U ? ValueOf<U[K]> : never) : never;

/** The metadata keys of event `E` of `service` (of all its events when `E` is omitted). */
export type MetadataKey<S extends ServiceName = ServiceName, E extends EventName<S> = EventName<S>> = ExpandKey<KeysOf<MetadataSpecOf<S, E>>>;

/** Per key: a value Chromium writes, any string for free text, or a RegExp. */
export type MetadataFilter<S extends ServiceName = ServiceName, E extends EventName<S> = EventName<S>> = {
  readonly [K in KeysOf<MetadataSpecOf<S, E>> as ExpandKey<K>]?: ValueAcross<MetadataSpecOf<S, E>, K> | RegExp;
};

/** What this project knows of one service's events beyond their names and metadata. */
export interface ServiceNotes<S extends ServiceName> {
  /** What the events' `instanceId` holds. */
  readonly instanceId: string;
  /** `seen`: logged by a demo page of this project on Chromium 156 (tests/integration/catalogue.spec.ts). */
  readonly events: Readonly<Partial<Record<EventName<S>, { readonly seen?: true; readonly note?: string }>>>;
}

/**
 * The README table's other columns: what `instanceId` is, which events this project saw, notes.
 * @example
 * EVENT_CATALOGUE_NOTES.backgroundSync.events['Sync completed']?.seen; // true
 */
export const EVENT_CATALOGUE_NOTES: { readonly [S in ServiceName]: ServiceNotes<S> } = {
  backgroundFetch: {
    instanceId: 'the id given to `backgroundFetch.fetch()`',
    events: {
      'Background Fetch registered': { seen: true },
      'Background Fetch started': { seen: true },
      'Request processing started': { seen: true, note: '`Upload Size (bytes)` only for a request with a body.' },
      'Request processing completed': { seen: true },
      'Background Fetch completed': { seen: true, note: '`Failure Reason` only when it did not succeed.' },
    },
  },
  backgroundSync: {
    instanceId: 'the sync tag',
    events: {
      'Registered sync': { seen: true },
      'Dispatched sync event': { seen: true },
      'sync event failed': { seen: true, note: 'An attempt that will be retried; the delay may be `infinite`.' },
      'Sync event reregistered': { note: 'Registered again while its event was running.' },
      'Sync completed': { seen: true, note: 'Only for a real `sync.register()`: DevTools\' "Sync" button logs the dispatch alone.' },
    },
  },
  notifications: {
    instanceId: 'the notification tag',
    events: {
      'Notification displayed': { seen: true },
      'Notification closed': { seen: true, note: 'Logged when page code calls `notification.close()`, headless too.' },
    },
  },
  paymentHandler: {
    instanceId: 'the payment request id',
    events: {
      'Install payment handler': { seen: true },
      'Install payment handler result': { seen: true },
      'Payment request': { seen: true },
      'Payment response': { seen: true },
      'Can make payment': { note: 'Only once the app is installed, in a persistent profile.' },
    },
  },
  periodicBackgroundSync: {
    instanceId: 'the periodic sync tag',
    events: {
      'Registered periodicsync': { seen: true },
      'Got next event delay': { seen: true },
      'Dispatched periodicsync event': { seen: true },
      'Unregistered periodicsync': { seen: true },
    },
  },
  pushMessaging: {
    instanceId: 'the push message id',
    events: {
      'Push message received': { note: 'From a push service, before the worker gets it.' },
      'Push event dispatched': { seen: true, note: '`Payload` only for a push with data.' },
      'Push event completed': { seen: true, note: 'A handler that throws still completes with `Success`; `Timeout` comes after about 99 s.' },
    },
  },
};

/** The services that log an event of this name (two share `Sync event reregistered`). */
export function servicesOfEvent(name: string): ServiceName[] {
  return (Object.keys(EVENT_CATALOGUE) as ServiceName[]).filter((service) => Object.hasOwn(EVENT_CATALOGUE[service], name));
}

/** The event names of one service, or of all of them. */
export function catalogueEventNames(service?: ServiceName): string[] {
  const services = service ? [service] : (Object.keys(EVENT_CATALOGUE) as ServiceName[]);
  return [...new Set(services.flatMap((s) => Object.keys(EVENT_CATALOGUE[s])))];
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The catalogue names a misspelt one most likely meant (case and a few letters apart). */
export function closestEventNames(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const scored = candidates.map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.d));
  return best <= Math.max(2, Math.floor(name.length / 4)) ? scored.filter((s) => s.d === best).map((s) => s.candidate) : [];
}
