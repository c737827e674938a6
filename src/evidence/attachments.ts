import { writeFile } from 'node:fs/promises';
import type { TestInfo } from '@playwright/test';
import type { BackForwardCacheResult } from '../bfcache/bfcache.js';
import { SERVICES } from '../background-services/services.js';
import { formatVersions, type ServiceWorkerVersionInfo } from '../background-services/serviceWorkers.js';
import { renderTimeline, type TimelineBackForwardCache, type TimelineInput, type TimelineStep } from './timeline.js';

/** What a test's helpers saw, attached to the report when it fails (or always). */
export interface Evidence {
  wanted(): boolean;
  /** The page controller's `evidence()`, taken before it is disposed. */
  services?: Required<Pick<TimelineInput, 'events' | 'scopes' | 'reports' | 'endpoints'>>;
  backForwardCache: Array<BackForwardCacheResult & Pick<TimelineBackForwardCache, 'startedAt' | 'endedAt'>>;
  /** The helpers' steps, as the report titles them, with when they ran. */
  steps: TimelineStep[];
  /** The service worker versions the controller saw, with their lifecycles. */
  serviceWorkers?: ServiceWorkerVersionInfo[];
}

/** What DevTools would have shown, attached to the test: JSON per service, reports, a timeline. */
export async function attachEvidence({ services, backForwardCache, steps, serviceWorkers }: Evidence, testInfo: TestInfo): Promise<void> {
  const evidence = services ?? { events: [], scopes: {}, reports: [], endpoints: [] };
  // As files, not bodies: a reporter then prints a path, not the timeline's HTML, and they stay in test-results/.
  const attach = async (name: string, body: string, contentType: string) => {
    const path = testInfo.outputPath(name);
    await writeFile(path, body);
    await testInfo.attach(name, { path, contentType });
  };
  for (const service of SERVICES) {
    const events = evidence.events.filter((event) => event.service === service);
    if (events.length === 0) continue;
    await attach(`background-services-${service}.json`, JSON.stringify(events, undefined, 2), 'application/json');
  }
  if (evidence.reports.length || evidence.endpoints.length) {
    await attach(
      'background-services-reports.json',
      JSON.stringify({ reports: evidence.reports, endpoints: evidence.endpoints }, undefined, 2),
      'application/json',
    );
  }
  if (serviceWorkers?.length) await attach('background-services-service-workers.txt', `${formatVersions(serviceWorkers)}\n`, 'text/plain');
  if (backForwardCache.length) {
    await attach('background-services-bfcache.json', JSON.stringify(backForwardCache, undefined, 2), 'application/json');
  }
  await attach(
    'background-services.html',
    renderTimeline({ ...evidence, backForwardCache, steps, title: `Background services: ${testInfo.titlePath.slice(1).join(' › ')}` }),
    'text/html',
  );
}

function argument(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
  // JSON has no text for a function or a symbol: String() names them.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value a test passed, shown as it is
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A helper's step in the report, as it was called: `triggerPush("hello")`. */
export function stepTitle(name: string, ...args: unknown[]): string {
  const shown = args.filter((arg) => arg !== undefined).map(argument);
  return `${name}(${shown.join(', ')})`;
}
