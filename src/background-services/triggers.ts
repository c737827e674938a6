import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType, formatEventList, toRecordedEvent, truncate, type BackgroundServiceEvent, type RecordedEvent } from './events.js';
import type { EventName } from './catalogue.js';
import type { EventHub } from './hub.js';
import type { ServiceName } from './services.js';
import type { ServiceWorkerRegistrationInfo, ServiceWorkerRegistry } from './serviceWorkers.js';
import { Emitter } from '../cdp/emitter.js';
import type { PageSession } from '../cdp/session.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';

export interface TriggerTarget {
  /** Default: the page's current origin. */
  origin?: string;
  /** The registration's scope (absolute or relative), when the origin has several. */
  scope?: string;
  /** In ms, to find the worker and get the confirmation (0: no limit). */
  timeout?: number;
}

export interface TriggerPushOptions extends TriggerTarget {}

export interface TriggerSyncOptions extends TriggerTarget {
  /** The event's `lastChance`. Default false. */
  lastChance?: boolean;
}

export interface TriggerPeriodicSyncOptions extends TriggerTarget {}

export interface TriggerOutcome {
  registration: ServiceWorkerRegistrationInfo;
}

/** What `triggerPush` resolves with. */
export interface PushOutcome extends TriggerOutcome {
  dispatched: RecordedEvent;
  completed: RecordedEvent;
  /** `Success`, `waitUntil Rejected` or `Timeout`. */
  status: string;
}

/** What `triggerSync` resolves with (Chromium logs no completion for it). */
export interface SyncOutcome extends TriggerOutcome {
  dispatched: RecordedEvent;
}

/** What `triggerPeriodicSync()` resolves with. */
export interface PeriodicSyncOutcome extends TriggerOutcome {
  dispatched: RecordedEvent;
}

/** What the triggers ask of `ServiceWorkerConnectivity`. */
interface OfflineState {
  isOffline(registrationId: string): boolean;
}

interface Step {
  eventName: EventName;
  matches?(event: BackgroundServiceEvent): boolean;
}

function hint(missing: string, service: ServiceName): string {
  if (/completed/i.test(missing)) {
    return 'The handler may still be running: a promise passed to event.waitUntil() that never settles keeps the event open (Chromium gives up after several minutes).';
  }
  if (service === 'backgroundSync' || service === 'periodicBackgroundSync') {
    // context.setOffline() reaches the worker without the library knowing: Chromium then drops the dispatch.
    return 'The worker may have been stopped or unregistered before the event reached it, or be offline (context.setOffline(true)): Chromium drops a sync dispatched to a worker that is offline.';
  }
  return 'The worker may have been stopped or unregistered before the event reached it.';
}

function stoppedMessage(
  call: string,
  registration: ServiceWorkerRegistrationInfo,
  versionId: string,
  matched: readonly BackgroundServiceEvent[],
  missing: string,
  loggedSince: string,
): string {
  return (
    `${call}: the service worker at ${registration.scopeURL} (registration ${registration.registrationId}, version ${versionId}) stopped before the event completed: ` +
    `the browser logged ${matched.map((event) => `"${event.eventName}"`).join(', ')}, then the worker stopped while its handler was still running ` +
    `(ServiceWorker.stopWorker, DevTools' "Stop", or the browser ending it), and Chromium logs no "${missing}" for an event whose worker stopped. ` +
    `Let the handler's event.waitUntil() promise settle before stopping the worker; the next event starts it again.\n` +
    loggedSince
  );
}

function assertTag(tag: unknown, call: string): string {
  if (typeof tag !== 'string' || tag.length === 0) {
    throw new BackgroundServicesError(
      `${call}: expected a non-empty tag string (the tag the page passed to register()), got ${typeof tag === 'string' ? 'an empty string' : describeType(tag)}.`,
    );
  }
  return tag;
}

/** Push services refuse larger messages (RFC 8030 §7.2 requires 4096 bytes, and FCM, Mozilla and Apple stop there). */
export const MAX_PUSH_PAYLOAD_BYTES = 4096;

/** Push payloads are text; objects are sent as JSON. */
export function pushPayload(data: unknown, call: string): string {
  let payload: string | undefined;
  if (typeof data === 'string') payload = data;
  else if (typeof data === 'object' && data !== null) {
    try {
      payload = JSON.stringify(data);
    } catch (error) {
      throw new BackgroundServicesError(
        `${call}: the payload object cannot be sent as JSON: ${(error as Error).message.split('\n')[0]}. Pass a string or a plain object.`,
      );
    }
  }
  if (payload === undefined) {
    throw new BackgroundServicesError(`${call}: expected the push payload as a string or a JSON-serializable object, got ${describeType(data)}.`);
  }
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PUSH_PAYLOAD_BYTES) {
    throw new BackgroundServicesError(
      `${call}: the payload is ${bytes} bytes, but push services accept at most ${MAX_PUSH_PAYLOAD_BYTES}, so no real push could carry it. ` +
        'Send less, e.g. an id the service worker fetches the rest with.',
    );
  }
  return payload;
}

/**
 * DevTools' Push, Sync and Periodic Sync buttons for a page's service workers: each dispatch
 * resolves once the browser logged its confirmation.
 */
export class ServiceWorkerTriggers {
  /** One trigger per registration and service at a time, so each confirmation is unambiguous. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly session: PageSession,
    private readonly hub: EventHub,
    private readonly registry: ServiceWorkerRegistry,
    private readonly connectivity: OfflineState,
  ) {}

  private serialize<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(run);
    this.queues.set(key, next);
    return next;
  }

  private async dispatchAndConfirm(
    call: string,
    target: TriggerTarget,
    service: ServiceName,
    dispatch: (registration: ServiceWorkerRegistrationInfo) => Promise<unknown>,
    steps: Step[],
    droppedOffline?: string,
  ): Promise<{ registration: ServiceWorkerRegistrationInfo; events: RecordedEvent[] }> {
    const timeout = assertTimeout(target.timeout, call) ?? this.session.timeout();
    const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
    const registration = await this.registry.findActive({
      origin: target.origin,
      scope: target.scope,
      timeout,
      pageUrl: this.session.pageUrl(),
      call,
    });
    if (droppedOffline && this.connectivity.isOffline(registration.registrationId)) {
      // Chromium drops it: no log entry, and no delivery once the worker is back online.
      throw new BackgroundServicesError(
        `${call}: the service worker at ${registration.scopeURL} (registration ${registration.registrationId}) is offline (setServiceWorkerOffline(true)), ` +
          `and Chromium drops a ${droppedOffline} event dispatched to a worker held offline: it would never be logged nor delivered. ` +
          (droppedOffline === 'sync'
            ? `Call setServiceWorkerOffline(false) first, or let the page register one (a registration made offline waits and fires once the worker is back online).`
            : // A periodic sync is not held for the connection: Chromium schedules its first event
              // min_periodic_sync_events_interval (12 h) × the site-engagement penalty later.
              `Call setServiceWorkerOffline(false) first, then triggerPeriodicSync() again: a periodicSync.register() made offline is not held for the connection, ` +
              `Chromium schedules its first event after its own delay (12 h or more, about 24 h on a fresh profile; "Got next event delay" logs it), so back online nothing fires by itself.`),
      );
    }
    return this.serialize(`${service}:${registration.registrationId}`, async () => {
      const release = await this.hub.want(service);
      const since: BackgroundServiceEvent[] = [];
      const matched: BackgroundServiceEvent[] = [];
      const progressed = new Emitter();
      const unsubscribe = this.hub.subscribe((event) => {
        if (event.service !== service) return;
        since.push(event);
        const step = steps[matched.length];
        if (event.eventName === step?.eventName && event.serviceWorkerRegistrationId === registration.registrationId && (step.matches?.(event) ?? true)) {
          matched.push(event);
          progressed.emit();
        }
      });
      try {
        await dispatch(registration);
        const left = deadline === Infinity ? 0 : Math.max(1, deadline - Date.now());
        const loggedSince = () =>
          formatEventList(since.map((event) => toRecordedEvent(event, false))).replace(/^Recorded events/, `${service} events since the trigger`);
        await waitFor({
          check: () => {
            if (matched.length === steps.length) return true;
            const unregistered = this.registry.unregisteredReason(registration.registrationId, matched.length > 0);
            if (unregistered) {
              throw new BackgroundServicesError(
                `${call}: the service worker registration for ${registration.scopeURL} (id ${registration.registrationId}) was unregistered ${unregistered}` +
                  `${matched.length ? ` (it did log ${matched.map((e) => `"${e.eventName}"`).join(', ')})` : ''}.\n${loggedSince()}`,
              );
            }
            return undefined;
          },
          subscribe: (onChange) => {
            const offProgress = progressed.on(onChange);
            const offRegistry = this.registry.subscribe(onChange);
            return () => (offProgress(), offRegistry());
          },
          onAbort: (listener) => {
            const unsubscribeClose = this.session.onAbort(listener);
            // Between the first step and the last, a stopped worker ends the event unfinished, and
            // Chromium logs nothing more (no "Push event completed", not even at its timeout).
            const unsubscribeStop = this.registry.onWorkerStopped(registration.registrationId, (version) => {
              if (matched.length === 0 || matched.length === steps.length) return;
              const error = new BackgroundServicesError(
                stoppedMessage(call, registration, version.versionId, matched, steps[matched.length]!.eventName, loggedSince()),
              );
              // A crash of the page's renderer stops its workers too, and may be told a few ms after
              // the stop: one round trip to that renderer (none comes back from a crashed one) lets
              // the crash, the real cause, end the wait first.
              const stopped = () => listener(error);
              this.session.cdp.send('Runtime.evaluate', { expression: '0' }).then(stopped, stopped);
            });
            return () => {
              unsubscribeClose();
              unsubscribeStop();
            };
          },
          timeout: left,
          timeoutMessage: () => {
            const missing = steps[matched.length]!.eventName;
            const unregistered = this.registry.isDeleted(registration.registrationId)
              ? 'The registration was unregistered after the dispatch: Chromium still logs the completion once the handler settles, and "Timeout" about 100 s after the dispatch if it never does. '
              : '';
            return (
              `${call}: dispatched to the service worker at ${registration.scopeURL} (registration ${registration.registrationId}), ` +
              `but the browser did not log "${missing}" within ${timeout}ms` +
              (matched.length ? ` (it did log ${matched.map((e) => `"${e.eventName}"`).join(', ')})` : '') +
              `. ${unregistered}${hint(missing, service)}\n${loggedSince()}`
            );
          },
        });
        return { registration, events: matched.map((event) => toRecordedEvent(event, false)) };
      } finally {
        unsubscribe();
        await release();
      }
    });
  }

  async push(data: string | object, options: TriggerPushOptions = {}): Promise<PushOutcome> {
    const payload = pushPayload(data, 'triggerPush()');
    const call = `triggerPush(${JSON.stringify(truncate(payload, 60))})`;
    const { registration, events } = await this.dispatchAndConfirm(
      call,
      options,
      'pushMessaging',
      (target) => this.session.cdp.send('ServiceWorker.deliverPushMessage', { origin: target.origin, registrationId: target.registrationId, data: payload }),
      [
        {
          eventName: 'Push event dispatched',
          // Chromium logs no Payload entry for a message without data.
          matches: (event) =>
            payload === ''
              ? !event.eventMetadata.some((m) => m.key === 'Payload' && m.value !== '')
              : event.eventMetadata.some((m) => m.key === 'Payload' && m.value === payload),
        },
        { eventName: 'Push event completed' },
      ],
    );
    const [dispatched, completed] = events as [RecordedEvent, RecordedEvent];
    return { registration, dispatched, completed, status: completed.metadata.Status ?? '' };
  }

  async sync(tag: string, options: TriggerSyncOptions = {}): Promise<SyncOutcome> {
    assertTag(tag, 'triggerSync()');
    const lastChance = options.lastChance ?? false;
    const call = `triggerSync(${JSON.stringify(tag)}${lastChance ? ', { lastChance: true }' : ''})`;
    const { registration, events } = await this.dispatchAndConfirm(
      call,
      options,
      'backgroundSync',
      (target) => this.session.cdp.send('ServiceWorker.dispatchSyncEvent', { origin: target.origin, registrationId: target.registrationId, tag, lastChance }),
      [{ eventName: 'Dispatched sync event', matches: (event) => event.instanceId === tag }],
      'sync',
    );
    return { registration, dispatched: events[0]! };
  }

  async periodicSync(tag: string, options: TriggerPeriodicSyncOptions = {}): Promise<PeriodicSyncOutcome> {
    assertTag(tag, 'triggerPeriodicSync()');
    const call = `triggerPeriodicSync(${JSON.stringify(tag)})`;
    const { registration, events } = await this.dispatchAndConfirm(
      call,
      options,
      'periodicBackgroundSync',
      (target) => this.session.cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', { origin: target.origin, registrationId: target.registrationId, tag }),
      [{ eventName: 'Dispatched periodicsync event', matches: (event) => event.instanceId === tag }],
      'periodicsync',
    );
    return { registration, dispatched: events[0]! };
  }
}
