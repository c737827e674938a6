import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Clock } from '@playwright/test';
import { BackgroundServicesError } from '../cdp/errors.js';

/** The clock cannot reach the context's service workers; the message says why and what to do. */
export class ServiceWorkerClockError extends BackgroundServicesError {
  override name = 'ServiceWorkerClockError';
}

type Op =
  | { op: 'sync' }
  | { op: 'install' | 'setSystemTime' | 'setFixedTime' | 'pauseAt'; time: number }
  | { op: 'fastForward' | 'runFor'; ms: number }
  | { op: 'resume' };

interface ClockState {
  installed: boolean;
  paused: boolean;
  now: number;
  /** Orders the changes: a worker applies each once, whether it hears of it from the fixture or on its restart. */
  seq: number;
}

interface FakeClock {
  now: number;
  tick(ms: number): void;
  jump(ms: number): void;
  setSystemTime(t: number): void;
}

const STOPPED_WORKER_WAIT_MS = 1000;

let fakeTimersBundle: Promise<string> | undefined;

/** @sinonjs/fake-timers as one classic-script expression whose value is the module (dist/sw-fake-timers.global.js, built by tsup). */
function bundleFakeTimers(): Promise<string> {
  // Beside the bundled module in dist/; from src/clock/ (this repository's tests), in dist/.
  const file = ['./sw-fake-timers.global.js', '../../dist/sw-fake-timers.global.js']
    .map((path) => new URL(path, import.meta.url))
    .find((url) => existsSync(url));
  if (!file)
    throw new BackgroundServicesError(
      `serviceWorkerClock: dist/sw-fake-timers.global.js is missing beside ${import.meta.url}. Run npm run build (tsup builds it).`,
    );
  fakeTimersBundle ??= readFile(file, 'utf8').then((text) => `(function(){${text.replace(/\n/g, ' ')};return __pwbsFakeTimers;})()`);
  return fakeTimersBundle;
}

/**
 * Runs in the worker, before its own script, serialized on one line (no comments; block comments only).
 * Fakes the clock at once, following real time, then asks the fixture (through the context's route)
 * for the test's clock; events that arrive meanwhile wait for the answer.
 */
function installWorkerClock(FakeTimers: { withGlobal(g: object): { install(o: object): FakeClock } }, statePath: string): void {
  const g = globalThis as typeof globalThis & { __pwbsClock?: unknown };
  if (g.__pwbsClock) return;
  const realNow = Date.now.bind(Date);
  const realSetInterval = setInterval;
  const realFetch = fetch.bind(g);
  const clock = FakeTimers.withGlobal(g).install({
    now: realNow(),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    loopLimit: 100000,
  });
  let paused = false;
  let last = realNow();
  realSetInterval(() => {
    const now = realNow();
    if (!paused) clock.tick(now - last);
    last = now;
  }, 16);
  let seq = -1;
  const apply = (state: { paused: boolean; now: number; seq: number }, op: { op: string; time?: number; ms?: number }) => {
    if (state.seq <= seq) return clock.now;
    seq = state.seq;
    last = realNow();
    if (op.op === 'fastForward') clock.jump(op.ms!);
    else if (op.op === 'runFor') clock.tick(op.ms!);
    else if (op.op === 'pauseAt') clock.tick(Math.max(0, op.time! - clock.now));
    else clock.setSystemTime(state.now);
    paused = state.paused;
    return clock.now;
  };
  let ready = false;
  const answer = realFetch(statePath, { method: 'POST' })
    .then((response) => response.json())
    .then((state: { paused: boolean; now: number; seq: number }) => apply(state, { op: 'sync' }))
    .catch(() => undefined)
    .then(() => {
      ready = true;
    });
  g.__pwbsClock = { apply, ready: answer };
  const gated = new WeakMap<object, EventListener>();
  const add = g.addEventListener;
  const remove = g.removeEventListener;
  g.addEventListener = function (this: typeof g, type: string, listener: EventListenerOrEventListenerObject | null, options?: unknown) {
    if (!listener || type === 'fetch') return add.call(this, type, listener!, options as AddEventListenerOptions);
    let wrapped = gated.get(listener);
    if (!wrapped) {
      wrapped = function (this: unknown, event: Event) {
        const call = () => (typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event));
        const extendable = event as Event & { waitUntil?: (p: Promise<unknown>) => void };
        if (ready || typeof extendable.waitUntil !== 'function') return call();
        extendable.waitUntil(answer.then(call));
      };
      gated.set(listener, wrapped);
    }
    return add.call(this, type, wrapped, options as AddEventListenerOptions);
  } as typeof g.addEventListener;
  g.removeEventListener = function (this: typeof g, type: string, listener: EventListenerOrEventListenerObject | null, options?: unknown) {
    return remove.call(this, type, (listener && gated.get(listener)) ?? listener!, options as EventListenerOptions);
  } as typeof g.removeEventListener;
}

/** Playwright's `Clock` API for every service worker of one context. */
export class ServiceWorkerClock implements Clock {
  readonly #context: BrowserContext;
  readonly #path = `/__playwright-background-services/clock/${randomUUID()}`;
  #state = { installed: false, paused: false, fake: 0, real: 0 };
  #prelude: string | undefined;
  #seq = 0;

  constructor(context: BrowserContext) {
    this.#context = context;
  }

  /** @internal Routes the context's worker scripts through the clock's prelude. */
  async attach(): Promise<void> {
    if (process.env['PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK']) {
      throw new ServiceWorkerClockError(
        'serviceWorkerClock: PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK is set, so routes do not see service worker scripts and the ' +
          'clock cannot be put in front of them (the workers would keep the real clock). Unset it for tests that use serviceWorkerClock.',
      );
    }
    const bundle = await bundleFakeTimers();
    this.#prelude = `(${installWorkerClock.toString().replace(/\n\s*/g, ' ')})(${bundle},${JSON.stringify(this.#path)});`;
    await this.#context.route(
      () => true,
      async (route) => {
        const request = route.request();
        if (new URL(request.url()).pathname === this.#path) {
          return route.fulfill({ contentType: 'application/json', body: JSON.stringify(this.#current()) });
        }
        if ((await request.headerValue('service-worker')) !== 'script') return route.fallback();
        const response = await route.fetch().catch(() => undefined);
        if (!response) return route.fallback();
        const type = response.headers()['content-type'] ?? '';
        if (!response.ok() || !/javascript|ecmascript/i.test(type)) return route.fulfill({ response });
        const text = await response.text();
        if (text.includes(this.#prelude!)) return route.fulfill({ response, body: text });
        const prologue = /^\s*(['"])use strict\1;?/.exec(text)?.[0] ?? '';
        await route.fulfill({ response, body: `${prologue}${this.#prelude!}${text.slice(prologue.length)}` });
      },
    );
  }

  #now(): number {
    const { paused, fake, real } = this.#state;
    return paused ? fake : fake + (Date.now() - real);
  }

  #current(): ClockState {
    const { installed, paused } = this.#state;
    return { installed, paused, now: installed ? this.#now() : Date.now(), seq: this.#seq };
  }

  #set(now: number, paused: boolean): void {
    this.#seq++;
    this.#state = { installed: true, paused, fake: now, real: Date.now() };
  }

  async #send(op: Op): Promise<void> {
    const state = this.#current();
    await Promise.all(
      this.#context.serviceWorkers().map(async (worker) => {
        const sent = worker
          .evaluate(
            async ([s, o]) => {
              const clock = (globalThis as { __pwbsClock?: { apply(s: unknown, o: unknown): number; ready: Promise<void> } }).__pwbsClock;
              if (!clock) return;
              await clock.ready;
              clock.apply(s, o);
            },
            [state, op] as const,
          )
          .catch(() => undefined);
        // Playwright keeps the Worker of a stopped service worker, and an evaluate there never settles;
        // a stopped worker asks the fixture for the clock when it starts again, so it may be left out.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([sent, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOPPED_WORKER_WAIT_MS)))]);
        clearTimeout(timer);
      }),
    );
  }

  #time(value: number | string | Date, call: string): number {
    const time = typeof value === 'number' ? value : new Date(value).getTime();
    if (!Number.isFinite(time)) {
      throw new ServiceWorkerClockError(`serviceWorkerClock.${call}: expected a time (ms since epoch, a Date or a date string), got ${JSON.stringify(value)}.`);
    }
    return time;
  }

  #ms(value: number | string, call: string): number {
    const ms = typeof value === 'number' ? value : parseTicks(value);
    if (!Number.isFinite(ms) || ms < 0) {
      throw new ServiceWorkerClockError(`serviceWorkerClock.${call}: expected milliseconds ≥ 0 or "hh:mm:ss", got ${JSON.stringify(value)}.`);
    }
    return ms;
  }

  #requireInstalled(call: string): void {
    if (!this.#state.installed)
      throw new ServiceWorkerClockError(`serviceWorkerClock.${call}: the clock is not installed. Call serviceWorkerClock.install() first.`);
  }

  async install(options: { time?: number | string | Date } = {}): Promise<void> {
    this.#set(options.time === undefined ? Date.now() : this.#time(options.time, 'install()'), false);
    await this.#send({ op: 'install', time: this.#now() });
  }

  async fastForward(ticks: number | string): Promise<void> {
    this.#requireInstalled('fastForward()');
    const ms = this.#ms(ticks, 'fastForward()');
    this.#set(this.#now() + ms, this.#state.paused);
    await this.#send({ op: 'fastForward', ms });
  }

  async runFor(ticks: number | string): Promise<void> {
    this.#requireInstalled('runFor()');
    const ms = this.#ms(ticks, 'runFor()');
    this.#set(this.#now() + ms, this.#state.paused);
    await this.#send({ op: 'runFor', ms });
  }

  async pauseAt(time: number | string | Date): Promise<void> {
    this.#requireInstalled('pauseAt()');
    const at = this.#time(time, 'pauseAt()');
    this.#set(Math.max(at, this.#now()), true);
    await this.#send({ op: 'pauseAt', time: at });
  }

  async resume(): Promise<void> {
    this.#requireInstalled('resume()');
    this.#set(this.#now(), false);
    await this.#send({ op: 'resume' });
  }

  async setFixedTime(time: number | string | Date): Promise<void> {
    const at = this.#time(time, 'setFixedTime()');
    this.#set(at, true);
    await this.#send({ op: 'setFixedTime', time: at });
  }

  async setSystemTime(time: number | string | Date): Promise<void> {
    const at = this.#time(time, 'setSystemTime()');
    this.#set(at, this.#state.installed ? this.#state.paused : false);
    await this.#send({ op: 'setSystemTime', time: at });
  }
}

function parseTicks(value: string): number {
  const parts = value.split(':').map(Number);
  if (parts.length > 3 || parts.some((n) => !Number.isFinite(n))) return NaN;
  return parts.reduce((total, n) => total * 60 + n, 0) * 1000;
}
