// A Chromium started as a user starts Chrome stable or Edge by hand, with a DevTools port, and
// attached with chromium.connectOverCDP(): the set-up docs/browsers.md's recipe covers. Used by
// tests/integration/connect-over-cdp.spec.ts and scripts/support-matrix.mjs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

/**
 * Starts `executable` on a fresh profile and connects to it.
 *
 * @example
 * const { browser, close } = await startChromiumByHand('/usr/bin/chromium');
 */
export async function startChromiumByHand(executable) {
  const profile = mkdtempSync(join(tmpdir(), 'pbs-by-hand-'));
  const child = spawn(
    executable,
    [
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-background-networking',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ],
    // Its own process group: /usr/bin/chromium is a shell script, and the browser its child.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = await new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk.toString();
      const found = /DevTools listening on (ws:\S+)/.exec(text);
      if (found) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`${executable} exited (${code}) before it listened: ${text}`)));
    child.once('error', reject);
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    close: async () => {
      await browser.close();
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      await exited;
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
