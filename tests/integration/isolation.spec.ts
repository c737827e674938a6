// Parallel workers never see each other's events, reports or servers: six tests on two workers
// at once, each recording a push of its own and a report to its own collector.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from 'playwright-background-services';
import { allSpecs, runConfig } from '../support/nestedRun.js';

interface Seen {
  n: number;
  pid: number;
  collector: string;
  payloads: string[];
  reportUrls: string[];
  received: string[];
}

test('two workers: each test sees only its own events, reports and collector', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const barrier = await mkdtemp(join(tmpdir(), 'pwbs-barrier-'));
  const run = await runConfig('tests/isolation/playwright.config.ts', [], { DEMO_BASE_URL: baseURL, ISOLATION_BARRIER: barrier });
  expect(run.code, run.stderr).toBe(0);
  const seen = run.report.suites.flatMap(allSpecs).map((spec) => JSON.parse(spec.tests[0]!.annotations.find((a) => a.type === 'seen')!.description!) as Seen);
  expect(seen).toHaveLength(6);
  expect(new Set(seen.map((s) => s.pid)).size).toBe(2);

  for (const test of seen) {
    expect(test.payloads, `test ${test.n}`).toEqual([`payload ${test.n}`]);
    // Its report came from its own page, on its own collector's scope.
    expect(test.reportUrls[0]!.startsWith(`${test.collector}/page/`), `test ${test.n}`).toBe(true);
    expect(
      test.received.every((url) => url.startsWith(`${test.collector}/page/`)),
      `test ${test.n}`,
    ).toBe(true);
  }
  // One collector server per worker, on a port the OS chose; a scope of its own per test.
  const origins = (pid: number) => new Set(seen.filter((s) => s.pid === pid).map((s) => new URL(s.collector).origin));
  const [a, b] = [...new Set(seen.map((s) => s.pid))] as [number, number];
  expect(origins(a).size).toBe(1);
  expect(origins(b).size).toBe(1);
  expect([...origins(a)][0]).not.toBe([...origins(b)][0]);
  expect(new Set(seen.map((s) => s.collector)).size).toBe(6);
});
