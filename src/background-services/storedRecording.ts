import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { openPageSession, type Cdp } from '../cdp/cdp.js';
import { Emitter } from '../cdp/emitter.js';
import { BackgroundServicesError, TargetClosedError } from '../cdp/errors.js';
import { eventKey, toProtocolEvent, toRecordedEvent, type BackgroundServiceEvent, type RecordedEvent } from './events.js';
import { compactIsoTime, type RecordedEventSource } from './recording.js';
import { normalizeServices, SERVICES, type ServiceName } from './services.js';
import { writeFilesAtomically } from './saveFiles.js';
import { isPage } from '../cdp/guards.js';

export interface OpenStoredRecordingOptions {
  /** Turn the browser's recording on (for three days). Default false. */
  record?: boolean;
}

/** Stored events of some services, then new ones, live. */
export interface StoredRecording extends RecordedEventSource {
  readonly services: readonly ServiceName[];
  /** Every stored and new event, each once, oldest first. */
  readonly events: readonly RecordedEvent[];
  isRecording(service: ServiceName): boolean;
  /** @internal Calls `listener` when the page (or its browser) closes. */
  onAbort(listener: (error: Error) => void): () => void;
  /** Calls `listener` with each new event. */
  onEvent(listener: (event: RecordedEvent) => void): () => void;
  /** Writes DevTools' "Save events" files; resolves with their paths. */
  save(dir: string): Promise<string[]>;
  /** Detaches; the browser's recording and stored events stay. */
  close(): Promise<void>;
}

type Target = BrowserContext | Page;

function isContext(target: unknown): target is BrowserContext {
  return (
    typeof target === 'object' &&
    target !== null &&
    typeof (target as BrowserContext).newPage === 'function' &&
    typeof (target as BrowserContext).pages === 'function'
  );
}

async function pageOf(target: Target, call: string): Promise<Page> {
  if (isPage(target)) return target;
  if (isContext(target)) return target.pages().find((page) => !page.isClosed()) ?? (await target.newPage());
  throw new BackgroundServicesError(
    `${call}: expected a Playwright BrowserContext or Page (e.g. from chromium.launchPersistentContext()), got ${target === null ? 'null' : typeof target}.`,
  );
}

class StoredEvents implements StoredRecording {
  private readonly list: RecordedEvent[] = [];
  private readonly seen = new Set<string>();
  private readonly replaying = new Set<ServiceName>();
  private readonly recordingState = new Map<ServiceName, boolean>();
  private readonly added = new Emitter<RecordedEvent>();
  private readonly changed = new Emitter();
  private readonly aborted = Emitter.signal<Error>();

  constructor(
    private readonly cdp: Cdp,
    readonly services: readonly ServiceName[],
  ) {
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => this.add(backgroundServiceEvent));
    cdp.on('BackgroundService.recordingStateChanged', ({ service, isRecording }) => this.recordingState.set(service, isRecording));
    cdp.onClose(() => this.aborted.emit(new TargetClosedError('The page of the stored recording was closed.')));
  }

  async open(record: boolean): Promise<void> {
    // Chromium sends the stored events before it answers startObserving: what arrives while
    // the command is under way is what the profile had stored.
    await Promise.all(
      this.services.map(async (service) => {
        this.replaying.add(service);
        try {
          await this.cdp.send('BackgroundService.startObserving', { service });
        } finally {
          this.replaying.delete(service);
        }
        if (record) {
          await this.cdp.send('BackgroundService.setRecording', { service, shouldRecord: true });
          this.recordingState.set(service, true);
        }
      }),
    );
    this.list.sort((a, b) => a.timestamp - b.timestamp);
  }

  private add(event: BackgroundServiceEvent): void {
    if (!this.services.includes(event.service)) return;
    // Each startObserving replays everything again (another session of the same profile too).
    const key = eventKey(event);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const recorded = toRecordedEvent(event, this.replaying.has(event.service));
    this.list.push(recorded);
    this.added.emit(recorded);
    this.changed.emit();
  }

  get events(): readonly RecordedEvent[] {
    return [...this.list];
  }

  view(): readonly RecordedEvent[] {
    return this.list;
  }

  isRecording(service: ServiceName): boolean {
    return this.recordingState.get(service) ?? false;
  }

  onEvent(listener: (event: RecordedEvent) => void): () => void {
    return this.added.on(listener);
  }

  subscribe(onChange: () => void): () => void {
    return this.changed.on(onChange);
  }

  onAbort(listener: (error: Error) => void): () => void {
    return this.aborted.on(listener);
  }

  async save(dir: string): Promise<string[]> {
    return saveEvents(this.list, dir, 'storedRecording.save()');
  }

  async close(): Promise<void> {
    if (this.cdp.isClosed) return;
    await Promise.all(this.services.map((service) => this.cdp.send('BackgroundService.stopObserving', { service }).catch(() => {})));
    await this.cdp.detach();
  }
}

/**
 * Writes events as DevTools' "Save events" does: one file per service that has events,
 * `<service>-<yyyyMMddTHHmmss>.json`, `JSON.stringify(events, undefined, 2)`, oldest first.
 */
export async function saveEvents(events: readonly RecordedEvent[], dir: string, call: string, now = new Date()): Promise<string[]> {
  const stamp = compactIsoTime(now);
  const files = SERVICES.flatMap((service) => {
    const own = events.filter((event) => event.service === service).sort((a, b) => a.timestamp - b.timestamp);
    return own.length ? [{ name: `${service}-${stamp}.json`, content: JSON.stringify(own.map(toProtocolEvent), undefined, 2) }] : [];
  });
  return writeFilesAtomically(dir, files, call);
}

/**
 * Reads what the browser stored, without clearing it, then keeps listening.
 * @example
 * const stored = await openStoredRecording(context, 'pushMessaging');
 */
export async function openStoredRecording(
  target: BrowserContext | Page,
  services?: ServiceName | readonly ServiceName[],
  options: OpenStoredRecordingOptions = {},
): Promise<StoredRecording> {
  const call = 'openStoredRecording()';
  const list = normalizeServices(services, call);
  if (typeof options !== 'object' || options === null) {
    throw new BackgroundServicesError(`${call}: options must be an object like { record: true }, got ${JSON.stringify(options)}.`);
  }
  if (options.record !== undefined && typeof options.record !== 'boolean') {
    throw new BackgroundServicesError(`${call}: options.record must be true or false, got ${JSON.stringify(options.record)}.`);
  }
  const page = await pageOf(target, call);
  const cdp = await openPageSession(page, call);
  const stored = new StoredEvents(cdp, list);
  try {
    await stored.open(options.record ?? false);
  } catch (error) {
    await cdp.detach().catch(() => {});
    throw error;
  }
  return stored;
}

/**
 * Writes the browser's stored events as DevTools' files; resolves with the paths.
 * @example
 * const files = await exportStoredEvents(context, 'exports');
 */
export async function exportStoredEvents(target: BrowserContext | Page, dir: string, services?: ServiceName | readonly ServiceName[]): Promise<string[]> {
  if (typeof dir !== 'string' || dir === '') {
    throw new BackgroundServicesError(`exportStoredEvents(): expected a directory path, got ${JSON.stringify(dir)}.`);
  }
  const stored = await openStoredRecording(target, services);
  try {
    return await saveEvents(stored.events, dir, 'exportStoredEvents()');
  } finally {
    await stored.close();
  }
}

/** DevTools' service numbers in the profile's `devtools.backgroundserviceexpiration` preference. */
const PREFERENCE_NUMBERS: Readonly<Record<string, ServiceName>> = {
  '2': 'backgroundFetch',
  '3': 'backgroundSync',
  '4': 'pushMessaging',
  '5': 'notifications',
  '6': 'paymentHandler',
  '7': 'periodicBackgroundSync',
};

// Chromium's base::Time counts from 1601-01-01 UTC; the preference holds minutes since then.
const WINDOWS_EPOCH_MS = Date.UTC(1601, 0, 1);

/**
 * Until when a profile records each service (read it with the browser closed).
 * @example
 * const until = await storedRecordingExpiry('profile');
 */
export async function storedRecordingExpiry(profileDir: string): Promise<Partial<Record<ServiceName, Date>>> {
  // `devtools.backgroundserviceexpiration` in `Default/Preferences`: service number → minutes
  // since 1601-01-01 UTC. Chromium writes Preferences on exit.
  let text: string;
  try {
    text = await readFile(join(profileDir, 'Default', 'Preferences'), 'utf8');
  } catch (error) {
    throw new BackgroundServicesError(
      `storedRecordingExpiry(): cannot read the profile's Preferences in ${JSON.stringify(profileDir)}: ${(error as Error).message}`,
    );
  }
  const prefs = JSON.parse(text) as { devtools?: { backgroundserviceexpiration?: Record<string, number> } };
  const result: Partial<Record<ServiceName, Date>> = {};
  for (const [number, minutes] of Object.entries(prefs.devtools?.backgroundserviceexpiration ?? {})) {
    const service = PREFERENCE_NUMBERS[number];
    if (service && typeof minutes === 'number') result[service] = new Date(WINDOWS_EPOCH_MS + minutes * 60_000);
  }
  return result;
}
