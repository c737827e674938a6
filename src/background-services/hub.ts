import type { Protocol } from 'devtools-protocol';
import type { Cdp } from '../cdp/cdp.js';
import { Emitter } from '../cdp/emitter.js';
import { TargetClosedError } from '../cdp/errors.js';
import { sameEvent, toRecordedEvent, type BackgroundServiceEvent, type RecordedEvent } from './events.js';
import type { ServiceName } from './services.js';

/**
 * Owns the BackgroundService domain of one page session: observes each service once, keeps
 * the browser recording while anything (a recording, a trigger) needs it, and hands every event
 * once to the listeners, however often the browser replays it.
 *
 * Each event is kept as one object, the recorded form, which every recording of this session
 * shares; the protocol's own object is dropped. With `maxEvents` the oldest are dropped past it.
 */
export class EventHub {
  private readonly observing = new Map<ServiceName, Promise<void>>();
  private readonly wanted = new Map<ServiceName, number>();
  private readonly browserRecording = new Map<ServiceName, boolean>();
  // The state startObserving reported first: recording someone else turned on (a person's
  // three-day recording in a persistent profile, `record`) is left on when we are done.
  private readonly foundRecording = new Map<ServiceName, boolean>();
  // Replays repeat an event's timestamp: a bucket per timestamp finds them without a key string per event.
  private readonly byTimestamp = new Map<number, RecordedEvent | RecordedEvent[]>();
  private readonly stored: RecordedEvent[] = [];
  private droppedCount = 0;
  private readonly createdAt = Date.now();
  private readonly added = new Emitter<RecordedEvent>();
  private readonly aborted = Emitter.signal<Error>();

  constructor(
    private readonly cdp: Cdp,
    private readonly describeTarget: () => string,
    private readonly maxEvents = Infinity,
    /** The error for a closed target (it may wait to learn why: a browser that disconnected). */
    private readonly closedErrorOf: () => Promise<Error> = () => Promise.resolve(new TargetClosedError(`${describeTarget()} was closed.`)),
  ) {
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => this.add(backgroundServiceEvent));
    cdp.on('BackgroundService.recordingStateChanged', ({ service, isRecording }: Protocol.BackgroundService.RecordingStateChangedEvent) => {
      this.browserRecording.set(service, isRecording);
      if (!this.foundRecording.has(service)) this.foundRecording.set(service, isRecording);
    });
    cdp.onClose(() => void this.closedErrorOf().then((error) => this.abort(error)));
  }

  /** Every event seen so far (the last `maxEvents`), in arrival order. */
  get events(): readonly RecordedEvent[] {
    return this.stored;
  }

  /** How many events were dropped to stay within `maxEvents`. */
  get dropped(): number {
    return this.droppedCount;
  }

  get closed(): Error | undefined {
    return this.aborted.fired?.value;
  }

  isBrowserRecording(service: ServiceName): boolean {
    return this.browserRecording.get(service) ?? false;
  }

  abort(error: Error): void {
    this.aborted.emit(error);
  }

  /** Calls `listener` once the page or its session closed, at once if it already has. */
  onAbort(listener: (error: Error) => void): () => void {
    return this.aborted.on(listener);
  }

  subscribe(listener: (event: RecordedEvent) => void): () => void {
    return this.added.on(listener);
  }

  private add(raw: BackgroundServiceEvent): void {
    const bucket = this.byTimestamp.get(raw.timestamp);
    if (bucket !== undefined) {
      if (Array.isArray(bucket) ? bucket.some((event) => sameEvent(event, raw)) : sameEvent(bucket, raw)) return;
    }
    const event = toRecordedEvent(raw, raw.timestamp * 1000 < this.createdAt);
    if (bucket === undefined) this.byTimestamp.set(raw.timestamp, event);
    else if (Array.isArray(bucket)) bucket.push(event);
    else this.byTimestamp.set(raw.timestamp, [bucket, event]);
    this.stored.push(event);
    if (this.stored.length > this.maxEvents) {
      this.forget(this.stored.shift()!);
      this.droppedCount++;
    }
    this.added.emit(event);
  }

  private forget(event: RecordedEvent): void {
    const bucket = this.byTimestamp.get(event.timestamp);
    if (bucket === event || bucket === undefined) {
      this.byTimestamp.delete(event.timestamp);
      return;
    }
    if (Array.isArray(bucket)) {
      const rest = bucket.filter((other) => other !== event);
      if (rest.length === 0) this.byTimestamp.delete(event.timestamp);
      else this.byTimestamp.set(event.timestamp, rest.length === 1 ? rest[0]! : rest);
    }
  }

  /** Starts observing (which replays what the browser stored) once per service. */
  observe(service: ServiceName): Promise<void> {
    let started = this.observing.get(service);
    if (!started) {
      started = this.cdp.send('BackgroundService.startObserving', { service }).then(() => undefined);
      started.catch(() => this.observing.delete(service));
      this.observing.set(service, started);
    }
    return started;
  }

  /** Keeps the browser recording `service` until the returned release is called. */
  async want(service: ServiceName): Promise<() => Promise<void>> {
    const observed = this.observe(service);
    const count = this.wanted.get(service) ?? 0;
    this.wanted.set(service, count + 1);
    try {
      if (count === 0 || !this.isBrowserRecording(service)) {
        // One session handles its commands in order: no need to wait for the first answer
        // before sending the second (one round trip instead of two, on every test).
        await Promise.all([observed, this.cdp.send('BackgroundService.setRecording', { shouldRecord: true, service })]);
        this.browserRecording.set(service, true);
      } else {
        await observed;
      }
    } catch (error) {
      this.wanted.set(service, (this.wanted.get(service) ?? 1) - 1);
      throw error;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (this.wanted.get(service) ?? 1) - 1;
      this.wanted.set(service, left);
      if (left === 0 && !this.cdp.isClosed && !this.foundRecording.get(service)) {
        await this.cdp.send('BackgroundService.setRecording', { shouldRecord: false, service }).catch(() => {});
        this.browserRecording.set(service, false);
      }
    };
  }

  /** DevTools' "Clear": deletes the browser's stored events of these services. */
  async clear(services: readonly ServiceName[]): Promise<void> {
    await Promise.all(services.map((service) => this.cdp.send('BackgroundService.clearEvents', { service })));
    let kept = 0;
    for (const event of this.stored) {
      if (services.includes(event.service)) this.forget(event);
      else this.stored[kept++] = event;
    }
    this.stored.length = kept;
  }

  async dispose(): Promise<void> {
    if (this.cdp.isClosed) return;
    const services = [...this.observing.keys()];
    await Promise.all(
      services.map(async (service) => {
        if ((this.wanted.get(service) ?? 0) > 0 && !this.foundRecording.get(service)) {
          await this.cdp.send('BackgroundService.setRecording', { shouldRecord: false, service }).catch(() => {});
        }
        await this.cdp.send('BackgroundService.stopObserving', { service }).catch(() => {});
      }),
    );
  }
}
