import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Clock, Page } from '@playwright/test';
import { attachedSession, openPageSession, type Cdp } from '../cdp/cdp.js';
import { Emitter } from '../cdp/emitter.js';
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

// A safety net only: the wait ends on round trips (#settle), under any load.
const ARM_WAIT_MS = 10_000;

interface FakeClock {
  now: number;
  tick(ms: number): void;
  jump(ms: number): void;
  setSystemTime(t: number): void;
}

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
 * Runs in the worker before its own script (evaluated over CDP, serialized: no comments; block comments only),
 * with the test's clock of that moment: the worker follows it from its first line.
 */
function installWorkerClock(FakeTimers: { withGlobal(g: object): { install(o: object): FakeClock } }, state: ClockState): boolean {
  const g = globalThis as typeof globalThis & { __pwbsClock?: unknown };
  const realNow = Date.now.bind(Date);
  const realSetInterval = setInterval;
  const clock = FakeTimers.withGlobal(g).install({
    now: state.installed ? state.now : realNow(),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    loopLimit: 100000,
  });
  let paused = state.paused;
  let last = realNow();
  realSetInterval(() => {
    const now = realNow();
    if (!paused) clock.tick(now - last);
    last = now;
  }, 16);
  let seq = state.seq;
  const apply = (next: { paused: boolean; now: number; seq: number }, op: { op: string; time?: number; ms?: number }) => {
    if (next.seq <= seq) return clock.now;
    seq = next.seq;
    last = realNow();
    if (op.op === 'fastForward') clock.jump(op.ms!);
    else if (op.op === 'runFor') clock.tick(op.ms!);
    else if (op.op === 'pauseAt') clock.tick(Math.max(0, op.time! - clock.now));
    else clock.setSystemTime(next.now);
    paused = next.paused;
    return clock.now;
  };
  g.__pwbsClock = { apply };
  return true;
}

/** Playwright's `Clock` API for every service worker of one context. */
export class ServiceWorkerClock implements Clock {
  readonly #context: BrowserContext;
  #state = { installed: false, paused: false, fake: 0, real: 0 };
  #bundle = '';
  #seq = 0;
  /** The worker sessions, and whether their worker runs now (Chromium stops idle workers and starts them again). */
  readonly #workers = new Map<Cdp, { running: boolean }>();
  /** Script URLs of the workers whose sessions pause them before their script. */
  readonly #armed = new Set<string>();
  readonly #armedChanged = new Emitter<void>();
  /** The pages' sessions that auto-attach to workers, and those still being set up. */
  readonly #sessions = new Set<Cdp>();
  readonly #watching = new Set<Promise<void>>();

  constructor(context: BrowserContext) {
    this.#context = context;
  }

  /** @internal Puts the clock in front of every service worker script of the context, over CDP. */
  async attach(): Promise<void> {
    this.#bundle = await bundleFakeTimers();
    // A new worker fetches its script once it runs: the fetch waits until this clock's session on
    // that worker has sent its breakpoint (the worker holds commands until the script is there).
    await this.#context.route(
      () => true,
      async (route) => {
        const request = route.request();
        if (request.serviceWorker()?.url() === request.url() && !this.#armed.has(request.url())) await this.#whenArmed(request.url());
        await route.fallback();
      },
    );
    this.#context.on('page', (page) => void this.#track(this.#watch(page)));
    await Promise.all(this.#context.pages().map((page) => this.#track(this.#watch(page))));
  }

  #track(watching: Promise<void>): Promise<void> {
    this.#watching.add(watching);
    return watching.finally(() => this.#watching.delete(watching));
  }

  #whenArmed(url: string): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        unsubscribe();
        clearTimeout(timer);
        resolve();
      };
      const unsubscribe = this.#armedChanged.on(() => {
        if (this.#armed.has(url)) done();
      });
      // A worker that no page of the context may control has no session of this clock: the round
      // trips tell, without waiting out a timer that a loaded machine can outlast.
      void this.#settle().then(done);
      const timer = setTimeout(done, ARM_WAIT_MS);
    });
  }

  /**
   * Chromium attaches a page's session to a worker when it creates the worker, before the worker
   * fetches its script: once each session has answered a command sent after that fetch, every
   * attach it will make for this worker has arrived (a session's events and answers keep their order).
   */
  async #settle(): Promise<void> {
    await Promise.all([...this.#watching]);
    await Promise.all([...this.#sessions].map((cdp) => cdp.send('Target.getTargetInfo', {}).catch(() => undefined)));
  }

  /** Chromium attaches a page's session to the service workers that control or may control it. */
  async #watch(page: Page): Promise<void> {
    const cdp = await openPageSession(page, 'serviceWorkerClock').catch(() => undefined);
    if (!cdp) return;
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo, waitingForDebugger }) => {
      if (targetInfo.type === 'service_worker') void this.#arm(attachedSession(cdp, sessionId), targetInfo.url, waitingForDebugger);
    });
    const attaching = await cdp
      .send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false, filter: [{ type: 'service_worker' }] })
      .then(() => true)
      .catch(() => false);
    if (!attaching) return;
    this.#sessions.add(cdp);
    cdp.onClose(() => this.#sessions.delete(cdp));
  }

  #prelude(): string {
    // Short-circuits where the clock is in already: a re-sent prelude then runs none of the bundle.
    return `globalThis.__pwbsClock ? true : (${installWorkerClock.toString().replace(/\n\s*/g, ' ')})(${this.#bundle},${JSON.stringify(this.#current())});`;
  }

  async #arm(worker: Cdp, url: string, starting: boolean): Promise<void> {
    const status = { running: true };
    this.#workers.set(worker, status);
    worker.onClose(() => this.#workers.delete(worker));
    // Only an answer of `true` counts: an evaluation that reaches a new worker before its global
    // is set up throws there (measured: "setInterval is not defined" in 1 start of 100 under load).
    let injected = false;
    const inject = () => {
      void worker
        .send('Runtime.evaluate', { expression: this.#prelude(), returnByValue: true })
        .then(({ result }) => {
          if (result.value === true) injected = true;
        })
        .catch(() => undefined);
    };
    // A stopped worker that starts again re-runs its script on a fresh global: the instrumentation
    // breakpoint pauses it before that script, where the clock goes in with the state of that moment.
    worker.on('Inspector.targetCrashed', () => {
      status.running = false;
      injected = false;
    });
    worker.on('Inspector.targetReloadedAfterCrash', () => {
      status.running = true;
    });
    worker.on('Debugger.paused', ({ reason }) => {
      // At each script until the clock is confirmed in (the worker's, or an evaluation before it);
      // the prelude is idempotent, so one still in flight does no harm. The rest go on.
      if (reason === 'instrumentation' && !injected) inject();
      void worker.send('Debugger.resume').catch(() => undefined);
    });
    // Playwright's own session releases a new worker at once. The worker mostly holds these commands
    // until its script is fetched and runs them before the script; a script that a route fulfils can
    // beat them, and Debugger.enable then reports it.
    let scriptStarted = false;
    const stopWatching = worker.on('Debugger.scriptParsed', ({ url: scriptUrl }) => {
      if (scriptUrl) scriptStarted = true;
    });
    const sent = Promise.all([
      worker.send('Debugger.enable', {}),
      worker.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' }),
      worker.send('Runtime.runIfWaitingForDebugger'),
    ]);
    this.#armed.add(url);
    this.#armedChanged.emit();
    await sent.catch(() => undefined);
    stopWatching();
    // A worker whose script ran before the breakpoint gets the clock at once (its top level saw real
    // time); any other only at the breakpoint: an evaluation sent before its script can reach it
    // before its global is set up, or inside an importScripts, whose load it aborts (net::ERR_ABORTED).
    if (!injected && (!starting || scriptStarted)) inject();
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
    const expression = `globalThis.__pwbsClock?.apply(${JSON.stringify(this.#current())},${JSON.stringify(op)})`;
    await Promise.all(
      [...this.#workers].filter(([, { running }]) => running).map(([worker]) => worker.send('Runtime.evaluate', { expression }).catch(() => undefined)),
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
