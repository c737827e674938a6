import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');

export interface JsonAttachment {
  name: string;
  contentType: string;
  path?: string;
  body?: string;
}
export interface JsonResult {
  status: string;
  errors: Array<{ message?: string }>;
  attachments: JsonAttachment[];
}
export interface JsonTest {
  projectName: string;
  annotations: Array<{ type: string; description?: string }>;
  results: JsonResult[];
}
export interface JsonSpec {
  title: string;
  file: string;
  tests: JsonTest[];
}
export interface JsonSuite {
  title: string;
  specs: JsonSpec[];
  suites?: JsonSuite[];
}
export interface JsonReport {
  suites: JsonSuite[];
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
}

export interface NestedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** This run's own folder: its test-results, its report. */
  dir: string;
}

/**
 * Runs Playwright inside a test, isolated from the run around it: its own output folder and
 * report file (parallel workers and --repeat-each run these at once), and none of the outer
 * run's reporter settings (PLAYWRIGHT_JSON_OUTPUT_NAME and the like, which would redirect it).
 */
export async function runPlaywright(args: readonly string[], env: Record<string, string | undefined> = {}, dir?: string): Promise<NestedRun> {
  const own = dir ?? (await mkdtemp(join(tmpdir(), 'pwbs-nested-')));
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^PLAYWRIGHT_(JSON|BLOB|HTML|JUNIT|LIST|DOT|LINE|GITHUB)_|^PWTEST_|^TEST_(WORKER|PARALLEL)_INDEX$/.test(key)) continue;
    childEnv[key] = value;
  }
  Object.assign(childEnv, { CI: '', FORCE_COLOR: '0' }, env);
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: childEnv, maxBuffer: 100_000_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, dir: own });
    });
  });
}

/** `playwright test -c config` with the JSON reporter; returns the exit code and the report. */
export async function runConfig(
  config: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<NestedRun & { report: JsonReport }> {
  const dir = await mkdtemp(join(tmpdir(), 'pwbs-nested-'));
  const reportFile = join(dir, 'report.json');
  const run = await runPlaywright(
    ['test', '-c', config, `--output=${join(dir, 'test-results')}`, '--reporter=json', ...args],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, ...env },
    dir,
  );
  const text = await readFile(reportFile, 'utf8').catch(() => {
    throw new Error(`The nested run (exit ${run.code}) wrote no report.\n${run.stdout}\n${run.stderr}`);
  });
  return { ...run, report: JSON.parse(text) as JsonReport };
}

export function allSpecs(suite: JsonSuite): JsonSpec[] {
  return [...suite.specs, ...(suite.suites ?? []).flatMap(allSpecs)];
}

/** An attachment's content, whether the report inlined it or saved it to a file. */
export async function attachmentText(attachment: JsonAttachment): Promise<string> {
  return attachment.path ? readFile(attachment.path, 'utf8') : Buffer.from(attachment.body ?? '', 'base64').toString('utf8');
}
