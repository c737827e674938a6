// 6. Installing and CI, as a user's CI would: `npm ci` on a fresh clone of this commit, and the
// phase times `.ci/run` wrote (bench/ci-times.local.json) on its last recorded run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { now } from '../lib/stats.mjs';

export function runInstall({ root, log }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pbs-clone-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, dir], { stdio: 'ignore' });
    const t = now();
    let ok = true;
    let error = '';
    try {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    } catch (e) {
      ok = false;
      error =
        String(e.stderr ?? e.message)
          .split('\n')
          .find((line) => line.trim()) ?? 'failed';
    }
    const seconds = (now() - t) / 1000;
    log?.(`  npm ci on a fresh clone: ${ok ? 'works' : `FAILS: ${error}`} in ${seconds.toFixed(1)} s`);
    return {
      id: 'install-npm-ci',
      title: `npm ci on a fresh clone (${ok ? 'works' : 'FAILS'})`,
      unit: 's',
      ours: { n: 1, median: Math.round(seconds * 10) / 10 },
      baseline: null,
      baselineLabel: ok ? '' : error,
      ratio: null,
      goal: { works: ok, text: 'works' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last `.ci/run` phase times, if recorded; against the 30-minute budget. */
export function ciRows(root) {
  const file = path.join(root, 'bench', 'ci-times.local.json');
  if (!existsSync(file)) return [];
  const ci = JSON.parse(readFileSync(file, 'utf8'));
  const budget = 30 * 60;
  return [
    {
      id: 'ci-wall-time',
      title: `CI wall time, fresh clone (.ci/run on ${ci.commit}, ${ci.date}; ${ci.phases.map((p) => `${p.name} ${p.seconds} s`).join(', ')})`,
      unit: 's',
      ours: { n: 1, median: ci.total },
      baseline: { n: 1, median: budget },
      baselineLabel: 'the 30-minute budget',
      ratio: ci.total / budget,
      goal: { ratio: 1, text: '≤ 1x (30 min)' },
    },
  ];
}
