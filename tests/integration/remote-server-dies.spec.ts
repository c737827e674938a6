import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from '@playwright/test';
import { test, expect, createBackgroundServices, TargetClosedError } from 'playwright-background-services';

// A remote browser server that dies while the library waits: the wait ends at once, naming the
// disconnection. A server of this test's own (`run-server --unsafe`, so that it launches this
// machine's Chromium), on this machine, killed mid-wait.
test('a wait ends at once with a named error when the remote browser server dies', async ({ baseURL }) => {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // A server takes the client's executablePath with --unsafe (Playwright 1.60+). Older ones know
  // no such flag and drop it (they launch only a browser of their own download, which this machine
  // cannot have) unless PWTEST_UNDER_TEST is set, their own test suite's switch for the same thing.
  const unsafe = execFileSync(process.execPath, [cli, 'run-server', '--help'], { encoding: 'utf8' }).includes('--unsafe') ? ['--unsafe'] : [];
  const server = spawn(process.execPath, [cli, 'run-server', '--port', '0', '--host', '127.0.0.1', ...unsafe], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: unsafe.length ? process.env : { ...process.env, PWTEST_UNDER_TEST: '1' },
  });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        const found = /Listening on (ws:\S+)/.exec(chunk.toString());
        if (found) resolve(found[1]!);
      });
      server.once('exit', (code) => reject(new Error(`run-server exited (${code})`)));
    });
    const executablePath = process.env.PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM ?? '/usr/bin/chromium';
    const browser = await chromium.connect(endpoint, { headers: { 'x-playwright-launch-options': JSON.stringify({ executablePath }) } });
    const page = await browser.newPage();
    await page.goto(`${baseURL}/push/`);
    const services = await createBackgroundServices(page, { timeout: 60_000 });
    const recording = await services.record(['pushMessaging']);
    const waiting = recording.waitForEvent({ eventName: 'Push event completed' }).catch((e: Error) => e);
    const killedAt = Date.now();
    process.kill(-server.pid!, 'SIGKILL');
    const error = await waiting;
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(TargetClosedError);
    expect((error as Error).message).toBe(
      `The page (${baseURL}/push/) was closed: its browser disconnected (the browser process ended, or the connection to the remote browser server dropped). What was recorded stays readable.`,
    );
    expect(recording.events).toEqual([]);
  } finally {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      // Already gone: the test killed it.
    }
  }
});
