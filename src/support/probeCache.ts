import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Turns the cache off (`0`, `off`, `false`) or names its folder. */
export const PROBE_CACHE_ENV = 'PLAYWRIGHT_BACKGROUND_SERVICES_PROBE_CACHE';

/** What a cache file holds: answers by feature name, and the measured set-up. */
export interface ProbeCacheEntry {
  probedAt: string;
  features: Record<string, { supported: boolean; reason?: string }>;
  setup?: { kind: 'local' | 'remote' | 'attached'; launchFlags: boolean; reachesRunner: boolean };
}

/** The folder of the probe cache, or undefined when the environment turned it off. */
export function probeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[PROBE_CACHE_ENV]?.trim();
  if (value && ['0', 'off', 'false', 'no'].includes(value.toLowerCase())) return undefined;
  return value || join(tmpdir(), `playwright-background-services-probe-${process.getuid?.() ?? 'user'}`);
}

/** One browser set-up's answers on disk, kept between runs. */
export class ProbeCache {
  #entry: ProbeCacheEntry | undefined;

  constructor(readonly file: string) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as ProbeCacheEntry;
      if (parsed && typeof parsed.probedAt === 'string' && typeof parsed.features === 'object') this.#entry = parsed;
    } catch {
      // No file yet, or a torn one: the probe asks the browser.
    }
  }

  get entry(): ProbeCacheEntry | undefined {
    return this.#entry;
  }

  /** Merges what this probe found into the file (a whole-file rename: concurrent workers never tear it). */
  update(change: (entry: ProbeCacheEntry) => void): void {
    let current: ProbeCacheEntry | undefined;
    try {
      current = JSON.parse(readFileSync(this.file, 'utf8')) as ProbeCacheEntry;
    } catch {
      current = undefined;
    }
    const entry: ProbeCacheEntry = current && typeof current.features === 'object' ? current : { probedAt: new Date().toISOString(), features: {} };
    change(entry);
    try {
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(entry, undefined, 2));
      renameSync(temporary, this.file);
      this.#entry ??= entry;
    } catch {
      // A read-only or full disk only costs the next run its probe.
    }
  }
}

/**
 * The cache of this browser and launch: keyed by the browser's command line (executable, every
 * flag it got, from `SystemInfo.getInfo`, so a browser the fixtures did not launch has another
 * key), the executable's mtime, the browser's version, the probe's options and the probe's code.
 */
export async function openProbeCache(
  dir: string,
  parts: { options: unknown; code: string; pin?: string; commandLine: Promise<string>; version: Promise<{ product: string; userAgent: string }> },
): Promise<ProbeCache> {
  const [browserCommandLine, version] = await Promise.all([parts.commandLine, parts.version]);
  const executable = browserCommandLine.split(' ')[0] ?? '';
  let mtime = 0;
  try {
    mtime = statSync(executable).mtimeMs;
  } catch {
    // A browser on another machine: its command line and version still key it.
  }
  // A fresh profile folder and certificate pin per worker: the same set-up either way.
  let commandLine = browserCommandLine.replace(/--user-data-dir=\S+/g, '--user-data-dir=<profile>');
  if (parts.pin) commandLine = commandLine.split(parts.pin).join('<collector pin>');
  const key = createHash('sha256')
    .update(JSON.stringify([commandLine, mtime, version.product, version.userAgent, parts.options, parts.code]))
    .digest('hex')
    .slice(0, 32);
  mkdirSync(dir, { recursive: true });
  return new ProbeCache(join(dir, `${key}.json`));
}
