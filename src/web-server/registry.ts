import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The entries of a run's registry folder (`fcm-servers/`, `collectors/`) whose worker is alive, by file name. */
export function liveWorkers(dir: string): Map<string, number> {
  const workers = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    try {
      const { port, pid } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { port: number; pid: number };
      process.kill(pid, 0);
      workers.set(file.replace(/\.json$/, ''), port);
    } catch {
      // A worker that ended without removing its file, or a file half written.
    }
  }
  return workers;
}
