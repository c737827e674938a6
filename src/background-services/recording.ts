import { Emitter } from '../cdp/emitter.js';
import type { PageSession } from '../cdp/session.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { describeType, formatEventList, toProtocolEvent, toRecordedEvent, type BackgroundServiceEvent, type RecordedEvent } from './events.js';
import { assertEventFilter, compileFilter, formatFilter, sameOrigin, serviceOfFilter, type EventFilter } from './filter.js';
import type { EventHub } from './hub.js';
import { writeFilesAtomically } from './saveFiles.js';
import { assertServiceName, type ServiceName } from './services.js';
import { assertTimeout, waitFor } from '../cdp/wait.js';

export interface RecordOptions {
  /** DevTools' "Show events from other domains". Default true. */
  showEventsFromOtherDomains?: boolean;
  /** Clear the browser's stored events first. */
  clear?: boolean;
  /** Oldest dropped first. Default: the controller's `maxEvents`. */
  maxEvents?: number;
}

export interface WaitForEventOptions {
  /** In ms (0: no limit). Default: the fixtures' timeout. */
  timeout?: number;
}

/** What the matchers read events from. */
export interface RecordedEventSource {
  readonly events: readonly RecordedEvent[];
  /**
   * @internal The events without a copy, for waits that scan only what is new; it grows in
   * place and shrinks only on clear().
   */
  view?(): readonly RecordedEvent[];
  readonly droppedEvents?: number;
  /** @internal How many events dropped from the front of `view()`'s list: its indexes start after them. */
  viewDropped?(): number;
  /** @internal */
  subscribe?(onChange: () => void): () => void;
  /** @internal */
  onAbort?(listener: (error: Error) => void): () => void;
  /**
   * @internal The error for a filter that waits for a service the browser lacks, when none of
   * that service's events were recorded: the matchers throw it at once instead of timing out.
   */
  unsupported?(filters: readonly { service?: unknown; eventName?: unknown }[], call: string): Promise<Error | undefined>;
}

export function compactIsoTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}T${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/**
 * A live recording of some services, as DevTools' Record button makes.
 * @example
 * const recording = await recordBackgroundService('pushMessaging');
 */
export class BackgroundServiceRecording implements RecordedEventSource {
  readonly services: readonly ServiceName[];
  /** In ms since the epoch. */
  readonly startedAt: number;
  #recorded: RecordedEvent[] = [];
  #dropped = 0;
  readonly #maxEvents: number;
  // DevTools' "other domains" box unticked: the events of one origin, extended as events come.
  #sameOrigin: { origin: string | undefined; list: RecordedEvent[]; source: RecordedEvent[]; scanned: number; dropped: number } | undefined;
  readonly #changed = new Emitter();
  #releases: Array<() => Promise<void>> = [];
  #recording = false;
  #showOtherDomains: boolean;
  readonly #unsubscribe: () => void;
  readonly #session: PageSession;
  readonly #hub: EventHub;

  /** @internal Use `recordBackgroundService()` or `backgroundServices.record()`. */
  constructor(session: PageSession, hub: EventHub, services: readonly ServiceName[], options: RecordOptions = {}) {
    this.#session = session;
    this.#hub = hub;
    this.services = Object.freeze([...services]);
    this.startedAt = Date.now();
    this.#showOtherDomains = options.showEventsFromOtherDomains ?? true;
    this.#maxEvents = assertMaxEvents(options.maxEvents, 'recordBackgroundService()') ?? Infinity;
    this.#unsubscribe = hub.subscribe((event) => {
      if (this.#recording && this.services.includes(event.service)) this.#push(event);
    });
  }

  /** @internal */
  async begin(clear: boolean): Promise<void> {
    const hub = this.#hub;
    if (clear) await hub.clear(this.services);
    await this.start();
    // No await from start()'s end to here: the hub's live events come after these, never among them.
    const replayed = hub.events.filter((event) => this.services.includes(event.service));
    this.#recorded = [];
    for (const event of replayed.sort((a, b) => a.timestamp - b.timestamp)) this.#push(event);
  }

  #push(event: RecordedEvent): void {
    // The hub's object is shared unless this recording, started later, sees it as stored before.
    const preexisting = event.timestamp * 1000 < this.startedAt;
    this.#recorded.push(preexisting === event.preexisting ? event : toRecordedEvent(event, preexisting));
    if (this.#recorded.length > this.#maxEvents) {
      const oldest = this.#recorded.shift()!;
      this.#dropped++;
      const cache = this.#sameOrigin;
      if (cache?.source === this.#recorded && cache.scanned > 0) {
        cache.scanned--;
        if (cache.list[0] === oldest) {
          cache.list.shift();
          cache.dropped++;
        }
      }
    }
    this.#changed.emit();
  }

  /** How many of the oldest events `maxEvents` dropped. */
  get droppedEvents(): number {
    return this.#dropped;
  }

  /** @internal */
  async unsupported(filters: readonly { service?: unknown; eventName?: unknown }[], call: string): Promise<Error | undefined> {
    if (!this.#session.unsupportedService) return undefined;
    const services = new Set(filters.map(serviceOfFilter).filter((service): service is ServiceName => !!service && this.services.includes(service)));
    for (const service of services) {
      // Events of it came (DevTools' Sync button works where the page's sync.register() does not).
      if (this.#recorded.some((event) => event.service === service)) continue;
      const error = await this.#session.unsupportedService(service, call);
      if (error) return error;
    }
    return undefined;
  }

  /** Oldest first; of the page's origin only when other domains are hidden. */
  get events(): readonly RecordedEvent[] {
    return [...this.view()];
  }

  /** @internal The same array while nothing but new events changed it, so waits scan only what is new. */
  view(): readonly RecordedEvent[] {
    if (this.#showOtherDomains) return this.#recorded;
    const origin = this.#session.currentOrigin();
    let cache = this.#sameOrigin;
    if (!cache || cache.origin !== origin || cache.source !== this.#recorded) {
      cache = { origin, list: [], source: this.#recorded, scanned: 0, dropped: 0 };
      this.#sameOrigin = cache;
    }
    for (; cache.scanned < this.#recorded.length; cache.scanned++) {
      const event = this.#recorded[cache.scanned]!;
      if (origin !== undefined && sameOrigin(event.origin, origin)) cache.list.push(event);
    }
    return cache.list;
  }

  /** @internal */
  viewDropped(): number {
    if (this.#showOtherDomains) return this.#dropped;
    this.view();
    return this.#sameOrigin!.dropped;
  }

  eventsOf(service: ServiceName): RecordedEvent[] {
    assertServiceName(service, 'recording.eventsOf()');
    return this.events.filter((event) => event.service === service);
  }

  filter<S extends ServiceName>(filter: EventFilter<S>): RecordedEvent[] {
    assertEventFilter(filter, 'recording.filter()');
    return this.view().filter(compileFilter(filter));
  }

  get isRecording(): boolean {
    return this.#recording;
  }

  setShowEventsFromOtherDomains(show: boolean): void {
    if (typeof show !== 'boolean') {
      throw new BackgroundServicesError(`recording.setShowEventsFromOtherDomains(): expected true or false, got ${describeType(show)}.`);
    }
    this.#showOtherDomains = show;
    this.#changed.emit();
  }

  /**
   * The first event that matches, recorded already or yet to come.
   * @example
   * const done = await recording.waitForEvent({ eventName: 'Push event completed' });
   */
  async waitForEvent<S extends ServiceName>(filter: EventFilter<S>, options: WaitForEventOptions = {}): Promise<RecordedEvent> {
    assertEventFilter(filter, 'recording.waitForEvent()');
    const timeout = assertTimeout(options.timeout, 'recording.waitForEvent()') ?? this.#session.timeout();
    const find = incrementalFind(this, compileFilter(filter));
    return waitFor({
      check: () => {
        const index = find();
        return index < 0 ? undefined : this.view()[index - this.viewDropped()];
      },
      subscribe: (onChange) => this.subscribe(onChange),
      onAbort: (listener) => this.onAbort(listener),
      timeout,
      timeoutMessage: () =>
        `recording.waitForEvent(${formatFilter(filter)}): no matching event within ${timeout}ms.\n${formatEventList(this.view(), { dropped: this.#dropped, firstNumber: this.viewDropped() + 1 })}`,
    });
  }

  /** DevTools' Stop button. */
  async stop(): Promise<void> {
    if (!this.#recording) return;
    this.#recording = false;
    const releases = this.#releases.splice(0);
    await Promise.all(releases.map((release) => release()));
  }

  /** DevTools' Record button, again. */
  async start(): Promise<void> {
    if (this.#recording) return;
    if (this.#hub.closed) throw this.#hub.closed;
    this.#releases = await Promise.all(this.services.map((service) => this.#hub.want(service)));
    this.#recording = true;
  }

  /** DevTools' Clear button: here and in the browser's store. */
  async clear(): Promise<void> {
    // A new array, so waits scanning the old one start over.
    this.#recorded = [];
    this.#dropped = 0;
    await this.#hub.clear(this.services);
    this.#changed.emit();
  }

  /** DevTools' "Save events" content. */
  toJSON(): BackgroundServiceEvent[] {
    return this.events.map(toProtocolEvent);
  }

  /**
   * Writes DevTools' "Save events" files; resolves with their paths.
   * @example
   * const files = await recording.save('exports');
   */
  async save(dir: string): Promise<string[]> {
    const stamp = compactIsoTime(new Date());
    return writeFilesAtomically(
      dir,
      this.services.map((service) => ({
        name: `${service}-${stamp}.json`,
        content: JSON.stringify(this.eventsOf(service).map(toProtocolEvent), undefined, 2),
      })),
      'recording.save()',
    );
  }

  /** @internal */
  subscribe(onChange: () => void): () => void {
    return this.#changed.on(onChange);
  }

  /** @internal */
  onAbort(listener: (error: Error) => void): () => void {
    return this.#session.onAbort(listener);
  }

  /** @internal Called by the fixture at teardown. */
  async dispose(): Promise<void> {
    this.#unsubscribe();
    await this.stop().catch(() => {});
  }
}

/**
 * The index of the first matching event, counted from the first event ever recorded (dropped
 * ones included), scanning on each call only the events added since the last one: a wait over a
 * growing recording stays linear. A new list (after clear()) is rescanned. -1: none yet.
 */
export function incrementalFind(source: RecordedEventSource, matches: (event: RecordedEvent) => boolean): () => number {
  let list: readonly RecordedEvent[] | undefined;
  let scanned = 0;
  let found = -1;
  return () => {
    const events = source.view?.() ?? source.events;
    const dropped = source.viewDropped?.() ?? 0;
    if (events !== list || events.length + dropped < scanned) {
      list = events;
      scanned = dropped;
      found = -1;
    }
    if (found >= 0 && found < dropped) found = -1;
    if (found < 0) {
      for (let i = Math.max(scanned, dropped) - dropped; i < events.length; i++) {
        if (matches(events[i]!)) {
          found = dropped + i;
          break;
        }
      }
      scanned = found < 0 ? dropped + events.length : found;
    }
    return found;
  };
}

/** `maxEvents` must be a positive whole number; undefined means no limit. */
export function assertMaxEvents(value: unknown, call: string): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BackgroundServicesError(`${call}: maxEvents must be a whole number of events, 1 or more, got ${describeType(value)}. Leave it out for no limit.`);
  }
  return value;
}
