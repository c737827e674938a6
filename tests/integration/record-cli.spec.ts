// The `record` and `export` commands, driven as a person would: a child process, a browser the
// test reaches over its DevTools port (the person's clicks and the library's triggers), a close
// or a Ctrl-C, a relaunch on the same profile, then `spec` and the spec it writes.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { lstat, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { test, expect, createBackgroundServices, openStoredRecording, storedRecordingExpiry } from 'playwright-background-services';
import { parseSavedEvents, resolveChromiumExecutable, type BackgroundServiceEvent } from '#internal';
import { allSpecs, runConfig } from '../support/nestedRun.js';

const execFileAsync = promisify(execFile);
const port = process.env.DEMO_PORT ?? 43210;
const demo = `http://localhost:${port}`;
const SERVICES_LIST = 'backgroundFetch, backgroundSync, notifications, paymentHandler, periodicBackgroundSync, pushMessaging';

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  /** Resolves when stdout matches (a line of progress); rejects if the command ends first. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startCli(args: readonly string[], options: { xvfb?: boolean; env?: NodeJS.ProcessEnv } = {}): Cli {
  const command = options.xvfb ? 'xvfb-run' : process.execPath;
  const argv = options.xvfb ? ['-a', process.execPath, 'dist/cli.js', ...args] : ['dist/cli.js', ...args];
  const child = spawn(command, argv, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const changed = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of [...changed]) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
      for (const listener of [...changed]) listener();
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) {
          changed.delete(check);
          resolve(match);
        } else if (done) {
          changed.delete(check);
          reject(new Error(`The command ended before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      changed.add(check);
      check();
    });
  return { child, stdout: () => stdout, waitFor, exited };
}

/** The browser `record` launched, reached over the DevTools port it wrote into the profile. */
async function connect(profile: string): Promise<Browser> {
  const [devtoolsPort] = (await readFile(join(profile, 'DevToolsActivePort'), 'utf8')).split('\n');
  return chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPort}`);
}

/** What the person does: open the push demo, and a push message arrives (the library's trigger). */
async function pushTo(page: Page, payload: string): Promise<void> {
  if (!page.url().startsWith(`${demo}/push/`)) await page.goto(`${demo}/push/`);
  const services = await createBackgroundServices(page);
  try {
    const outcome = await services.triggerPush(payload);
    expect(outcome.completed.metadata.Status).toBe('Success');
  } finally {
    await services.dispose();
  }
}

function writtenFiles(stdout: string): Map<string, { path: string; count: number }> {
  const files = new Map<string, { path: string; count: number }>();
  for (const [, path, service, count] of stdout.matchAll(/^Wrote (.+\/(\w+)-\d{8}T\d{6}\.json) \((\d+) events?\)$/gm)) {
    files.set(service!, { path: path!, count: Number(count) });
  }
  return files;
}

async function savedEvents(path: string): Promise<BackgroundServiceEvent[]> {
  return JSON.parse(await readFile(path, 'utf8')) as BackgroundServiceEvent[];
}

const chromiumPath = () => resolveChromiumExecutable({ playwrightExecutablePath: chromium.executablePath() });

test.describe('record, close, relaunch, export, spec', () => {
  test.describe.configure({ mode: 'serial' });

  test('every event comes back exactly once, flagged as stored before, and the spec it makes passes', async ({}, testInfo) => {
    test.setTimeout(180_000);
    const profile = testInfo.outputPath('profile');
    const firstOut = testInfo.outputPath('recorded');

    // 1. record, headed under a virtual display, as on a server.
    const cli = startCli(
      ['record', '--profile', profile, '--services', 'pushMessaging,notifications', '-o', firstOut, '--browser-arg=--remote-debugging-port=0'],
      { xvfb: true },
    );
    await cli.waitFor(/^Browse as usual/m);
    expect(cli.stdout()).toContain(`Profile: ${profile}\nRecording pushMessaging, notifications. Chromium keeps recording them in this profile for three days`);
    const browser = await connect(profile);
    const page = browser.contexts()[0]!.pages()[0]!;
    await pushTo(page, 'hello');
    await cli.waitFor(/"Notification displayed".*Title: "hello"/);
    await cli.waitFor(/"Push event completed"/);
    // 2. The person closes the browser.
    await (await browser.newBrowserCDPSession()).send('Browser.close').catch(() => {});
    const recorded = await cli.exited;
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain('The browser was closed.');
    const firstFiles = writtenFiles(recorded.stdout);
    expect(firstFiles.get('pushMessaging')?.count).toBe(2);
    expect(firstFiles.get('notifications')?.count).toBe(1);
    const pushed = await savedEvents(firstFiles.get('pushMessaging')!.path);
    expect(pushed.map((event) => event.eventName)).toEqual(['Push event dispatched', 'Push event completed']);
    // DevTools' own format: the plain protocol events, two-space JSON.
    expect(await readFile(firstFiles.get('pushMessaging')!.path, 'utf8')).toBe(JSON.stringify(pushed, undefined, 2));

    // What the profile keeps: recording on for three days, in its Preferences.
    const until = await storedRecordingExpiry(profile);
    for (const service of ['pushMessaging', 'notifications'] as const) {
      const left = until[service]!.getTime() - Date.now();
      expect(left, service).toBeGreaterThan(3 * 24 * 3600_000 - 30 * 60_000);
      expect(left, service).toBeLessThanOrEqual(3 * 24 * 3600_000 + 60_000);
    }
    const preferences = JSON.parse(await readFile(join(profile, 'Default', 'Preferences'), 'utf8')) as {
      devtools: { backgroundserviceexpiration: Record<string, number> };
    };
    expect(Object.keys(preferences.devtools.backgroundserviceexpiration).sort()).toEqual(['4', '5']);

    // 3. Relaunch on the same profile: every event once, with its original timestamp, flagged.
    const executablePath = chromiumPath();
    const context = await chromium.launchPersistentContext(profile, { headless: true, ...(executablePath ? { executablePath } : {}) });
    try {
      const stored = await openStoredRecording(context, ['pushMessaging', 'notifications']);
      const before = [...pushed, ...(await savedEvents(firstFiles.get('notifications')!.path))].sort((a, b) => a.timestamp - b.timestamp);
      expect(stored.events.map(({ timestamp, eventName, service }) => ({ timestamp, eventName, service }))).toEqual(
        before.map(({ timestamp, eventName, service }) => ({ timestamp, eventName, service })),
      );
      expect(stored.events.every((event) => event.preexisting)).toBe(true);
      expect(stored.isRecording('pushMessaging')).toBe(true);
      // A second reader of the same profile (its own startObserving replays them all again).
      const second = await openStoredRecording(context.pages()[0]!, 'pushMessaging');
      expect(second.events).toHaveLength(2);
      await second.close();
      // Recording is still on after the restart: a new push is stored, and flagged as new.
      await pushTo(context.pages()[0]!, 'again');
      await expect(stored).toHaveRecordedEvent({ eventName: 'Push event completed', preexisting: false });
      await expect(stored).toHaveRecordedEvent({ eventName: 'Push event dispatched', metadata: { Payload: 'hello' }, preexisting: true });
      expect(stored.events.filter((event) => event.service === 'pushMessaging')).toHaveLength(4);
      await stored.close();
    } finally {
      await context.close();
    }

    // 4. export: everything so far, across both launches, each once.
    const exportDir = testInfo.outputPath('exported');
    const exported = await execFileAsync(process.execPath, ['dist/cli.js', 'export', '--profile', profile, '-o', exportDir]);
    const exportFiles = writtenFiles(exported.stdout);
    expect([...exportFiles.keys()]).toEqual(['notifications', 'pushMessaging']);
    expect(exported.stdout).toMatch(/^Still recording in this profile: notifications until \S+Z, pushMessaging until \S+Z\.$/m);
    const all = await savedEvents(exportFiles.get('pushMessaging')!.path);
    expect(all.map((event) => `${event.eventName} ${event.eventMetadata.map((m) => m.value).join()}`)).toEqual([
      'Push event dispatched hello',
      'Push event completed Success',
      'Push event dispatched again',
      'Push event completed Success',
    ]);
    expect(all.slice(0, 2)).toEqual(pushed);
    expect(parseSavedEvents(all)).toHaveLength(4);

    // 5. spec, and the spec it writes passes against the demo app.
    const specDir = testInfo.outputPath('generated');
    await mkdir(specDir, { recursive: true });
    const specFile = join(specDir, 'repro.spec.ts');
    await execFileAsync(process.execPath, ['dist/cli.js', 'spec', exportFiles.get('pushMessaging')!.path, '--url', '/push/', '-o', specFile]);
    const spec = await readFile(specFile, 'utf8');
    expect(spec).toContain("  await page.goto('/push/');\n\n  await triggerPush('hello');\n  await triggerPush('again');\n");
    await writeFile(
      join(specDir, 'playwright.config.ts'),
      `import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: '.', outputDir: './test-results', workers: 1, use: { baseURL: process.env.DEMO_BASE_URL } });\n`,
    );
    const run = await runConfig(join(specDir, 'playwright.config.ts'), [], { DEMO_BASE_URL: demo });
    expect(run.report.stats, run.stdout + run.stderr).toMatchObject({ expected: 1, unexpected: 0 });
    expect(allSpecs(run.report.suites[0]!).map((s) => s.title)).toEqual([expect.stringMatching(/^reproduces pushMessaging-\d{8}T\d{6}$/)]);
  });

  test('Ctrl-C ends cleanly and still writes what was recorded', async ({}, testInfo) => {
    test.setTimeout(120_000);
    const profile = testInfo.outputPath('profile');
    const out = testInfo.outputPath('recorded');
    const cli = startCli([
      'record',
      '--headless',
      '--profile',
      profile,
      '--services',
      'pushMessaging',
      '--url',
      `${demo}/push/`,
      '-o',
      out,
      '--browser-arg=--remote-debugging-port=0',
    ]);
    await cli.waitFor(/^Browse as usual/m);
    const browser = await connect(profile);
    const page = browser.contexts()[0]!.pages()[0]!;
    await page.waitForURL(`${demo}/push/`);
    await pushTo(page, 'bye');
    await cli.waitFor(/"Push event completed"/);
    await browser.close();
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(
      /^Stopping \(Ctrl-C\): writing what was recorded\.\nWrote .+\/pushMessaging-\d{8}T\d{6}\.json \(2 events\)\nNext: npx playwright-background-services view /m,
    );
    const [dispatched] = await savedEvents(writtenFiles(stdout).get('pushMessaging')!.path);
    expect(dispatched!.eventMetadata).toEqual([{ key: 'Payload', value: 'bye' }]);
    // The browser closed with it (it releases the profile's lock on exit).
    await expect(lstat(join(profile, 'SingletonLock'))).rejects.toThrow(/ENOENT/);
  });
});

test.describe('record and export: bad input', () => {
  // Each row starts a Node process (and one row a browser): seconds each on a busy machine.
  test.describe.configure({ timeout: 90_000 });
  const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    execFileAsync(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, ...env } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  test('no display: names DISPLAY and WAYLAND_DISPLAY and says to use xvfb-run, before any browser or folder', async ({}, testInfo) => {
    const profile = testInfo.outputPath('profile');
    const result = await run(['record', '--profile', profile], { DISPLAY: '', WAYLAND_DISPLAY: '' });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.trim()).toBe(
      'record opens a headed Chromium, and there is no display: DISPLAY and WAYLAND_DISPLAY are both unset. ' +
        'Run it in a desktop session, or on a server under a virtual display: xvfb-run -a npx playwright-background-services record …',
    );
    await expect(stat(profile)).rejects.toThrow(/ENOENT/);
  });

  test('a profile that is a file', async ({}, testInfo) => {
    const file = testInfo.outputPath('profile.txt');
    await writeFile(file, 'not a profile');
    for (const command of ['record', 'export']) {
      const result = await run([command, '--headless', '--profile', file].filter((arg) => command === 'record' || arg !== '--headless'));
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr.trim()).toBe(
        `--profile ${file} is not a folder. Pass a folder for Chromium's profile: a new (or missing) one to start afresh, or one \`record\` used before.`,
      );
    }
  });

  test('a profile in use by another browser', async ({}, testInfo) => {
    const profile = testInfo.outputPath('profile');
    const executablePath = chromiumPath();
    const context = await chromium.launchPersistentContext(profile, { headless: true, ...(executablePath ? { executablePath } : {}) });
    try {
      const owner = await import('node:fs/promises').then((fs) => fs.readlink(join(profile, 'SingletonLock')));
      for (const args of [
        ['export', '--profile', profile],
        ['record', '--headless', '--profile', profile],
      ]) {
        const result = await run(args);
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(result.stderr.trim()).toBe(
          `--profile ${profile} is in use by another Chromium (its SingletonLock names ${owner}). ` +
            'Chromium opens a profile in one browser at a time: close that browser first, or pass another --profile.',
        );
      }
    } finally {
      await context.close();
    }
  });

  test('unknown services, a missing profile, a missing --profile', async ({}, testInfo) => {
    const unknown = await run(['record', '--headless', '--services', 'push,notifications', '--profile', testInfo.outputPath('p')]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr.trim()).toBe(`--services: unknown background service "push". Expected one of: ${SERVICES_LIST}. Did you mean 'pushMessaging'?`);
    const empty = await run(['export', '--services', ',', '--profile', testInfo.outputPath('p')]);
    expect(empty.stderr.trim()).toBe(`--services is empty. Pass a comma-separated list of: ${SERVICES_LIST} (or leave it out for all six).`);
    const missing = testInfo.outputPath('no-such-profile');
    const absent = await run(['export', '--profile', missing]);
    expect(absent).toMatchObject({ code: 1, stdout: '' });
    expect(absent.stderr.trim()).toBe(`--profile ${missing} does not exist. Pass the profile folder \`record\` used (it prints "Profile: <folder>").`);
    const noProfile = await run(['export']);
    expect(noProfile.stderr.trim()).toBe('export needs --profile DIR: the profile folder `record` used.');
    const headlessExport = await run(['export', '--headless', '--profile', missing]);
    expect(headlessExport).toMatchObject({ code: 2 });
    expect(headlessExport.stderr).toMatch(/^Unknown option --headless for export\.\n\nUsage:/);
  });
});
