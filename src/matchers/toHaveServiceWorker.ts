import { serviceWorkerWatch } from '../background-services/serviceWorkerWatch.js';
import { formatVersions, type ServiceWorkerVersionInfo } from '../background-services/serviceWorkers.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { runMatcher, wrongReceiver, type MatcherResult, type MatcherState, type MatcherOptions, matcherOptions } from './engine.js';
import { isPage } from '../cdp/guards.js';

/** `'waiting'` is Chromium's `'installed'`; `scope` may be relative to the page. */
export interface ServiceWorkerFilter {
  state?: ServiceWorkerVersionInfo['status'] | 'waiting';
  runningStatus?: ServiceWorkerVersionInfo['runningStatus'];
  scope?: string;
}

const STATES = ['new', 'installing', 'installed', 'waiting', 'activating', 'activated', 'redundant'];
const RUNNING = ['stopped', 'starting', 'running', 'stopping'];

function assertFilter(filter: unknown, call: string): asserts filter is ServiceWorkerFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new BackgroundServicesError(`${call}: expected a filter such as { state: 'waiting' }, got ${JSON.stringify(filter)}.`);
  }
  for (const key of Object.keys(filter)) {
    if (!['state', 'runningStatus', 'scope'].includes(key)) {
      throw new BackgroundServicesError(`${call}: unknown filter key ${JSON.stringify(key)}; expected state, runningStatus or scope.`);
    }
  }
  const { state, runningStatus, scope } = filter as ServiceWorkerFilter;
  if (state !== undefined && !STATES.includes(state))
    throw new BackgroundServicesError(`${call}: state must be one of ${STATES.join(', ')}; got ${JSON.stringify(state)}.`);
  if (runningStatus !== undefined && !RUNNING.includes(runningStatus)) {
    throw new BackgroundServicesError(`${call}: runningStatus must be one of ${RUNNING.join(', ')}; got ${JSON.stringify(runningStatus)}.`);
  }
  if (scope !== undefined && typeof scope !== 'string') throw new BackgroundServicesError(`${call}: scope must be a string, got ${JSON.stringify(scope)}.`);
}

export async function toHaveServiceWorker(
  this: MatcherState,
  received: unknown,
  filter: ServiceWorkerFilter,
  options: MatcherOptions = {},
): Promise<MatcherResult> {
  const name = 'toHaveServiceWorker';
  const call = `expect(page).${name}()`;
  const opts = matcherOptions(options, call);
  if (!isPage(received)) throw wrongReceiver(name, 'a page', received);
  assertFilter(filter, call);
  const page = received;
  const scope = filter.scope === undefined ? undefined : new URL(filter.scope, page.url()).href;
  const status = filter.state === 'waiting' ? 'installed' : filter.state;
  const { watch, dispose } = await serviceWorkerWatch(page, call);
  const matches = (v: ServiceWorkerVersionInfo) =>
    (status === undefined || v.status === status) &&
    (filter.runningStatus === undefined || v.runningStatus === filter.runningStatus) &&
    (scope === undefined || v.scopeURL === scope);
  try {
    // ServiceWorker.enable answers before it reports what the context has: a .not must not pass on nothing.
    await new Promise<void>((resolve) => {
      const off = watch.onAbort(() => (off(), resolve()));
      void watch.reported.then(() => (off(), resolve()));
    });
    return await runMatcher(this, {
      name,
      receiverLabel: 'expect(page)',
      expected: `{ ${Object.entries(filter)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}: '${String(value)}'`)
        .join(', ')} }`,
      timeout: opts.timeout,
      evaluate: () => {
        const versions = watch.versions();
        const match = versions.find(matches);
        if (match) return { pass: true, received: `#${match.versionId} ${match.status}, ${match.runningStatus} (${match.scopeURL})` };
        return {
          pass: false,
          received: versions.length ? versions.map((v) => `#${v.versionId} ${v.status}, ${v.runningStatus}`).join('; ') : 'no service worker versions',
        };
      },
      subscribe: (onChange) => watch.subscribe(onChange),
      onAbort: (listener) => watch.onAbort(listener),
      details: () => formatVersions(watch.versions()),
      actual: () => watch.versions().map((v) => `${v.status}/${v.runningStatus}`),
    });
  } finally {
    await dispose?.();
  }
}
