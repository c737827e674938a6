import { BackgroundServicesError, BackgroundServicesTimeoutError } from './errors.js';

/** Every wait's default, in ms: Playwright's own default expect timeout. */
export const DEFAULT_TIMEOUT = 5000;

export interface WaitSpec<T> {
  /** Returns the awaited value once it is there, `undefined` while it is not. */
  check(): T | undefined;
  /** Calls back whenever `check` may have a new answer; returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  /** Calls back with an error when waiting can no longer succeed (page closed, …). */
  onAbort?(listener: (error: Error) => void): () => void;
  /** Milliseconds; 0 waits without limit, as Playwright's timeouts do. */
  timeout: number;
  timeoutMessage(): string;
}

/** The one event-driven wait everything uses: no polling, no fixed sleep, always a deadline. */
export function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  const first = spec.check();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanups: Array<() => void> = [];
    const finish = (settle: () => void) => {
      if (timer) clearTimeout(timer);
      for (const cleanup of cleanups.splice(0)) cleanup();
      settle();
    };
    cleanups.push(
      spec.subscribe(() => {
        let value: T | undefined;
        try {
          value = spec.check();
        } catch (error) {
          finish(() => reject(error));
          return;
        }
        if (value !== undefined) finish(() => resolve(value));
      }),
    );
    if (spec.onAbort) cleanups.push(spec.onAbort((error) => finish(() => reject(error))));
    if (spec.timeout > 0) {
      timer = setTimeout(() => finish(() => reject(new BackgroundServicesTimeoutError(spec.timeoutMessage()))), spec.timeout);
    }
  });
}

export function assertTimeout(value: unknown, call: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a bad timeout of any type, shown as it is
    throw new BackgroundServicesError(`${call}: timeout must be a number of milliseconds >= 0 (0 means no limit), got ${String(value)}.`);
  }
  return value;
}
