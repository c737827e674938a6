import { lstat, mkdir, readlink, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { chooseChromium } from '../cdp/browser.js';
import { BackgroundServicesError } from '../cdp/errors.js';
import { formatEvent, eventKey, type RecordedEvent } from '../background-services/events.js';
import { compactIsoTime } from '../background-services/recording.js';
import { SERVICES, assertServiceName, type ServiceName } from '../background-services/services.js';
import { openStoredRecording, saveEvents, storedRecordingExpiry, type StoredRecording } from '../background-services/storedRecording.js';

/** An error of a command, shown as is (no usage text), exit code 1. */
export class CommandError extends BackgroundServicesError {
  override name = 'CommandError';
}

export interface Io {
  log: (text: string) => void;
  logError: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Where Ctrl-C and friends come from (the process; a test may pass its own). */
  signals: Pick<NodeJS.Process, 'once' | 'off'>;
}

export interface BrowserCommandArgs {
  profile?: string;
  services?: string;
  url?: string;
  out?: string;
  headless: boolean;
  browserArgs: string[];
}

/** `--services push,notifications` → the names, each checked (all six when omitted). */
export function parseServices(value: string | undefined): ServiceName[] {
  if (value === undefined) return [...SERVICES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new CommandError(`--services is empty. Pass a comma-separated list of: ${SERVICES.join(', ')} (or leave it out for all six).`);
  return [...new Set(names.map((name) => assertServiceName(name, '--services')))];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Checks `--profile` before a browser is launched on it: a folder (or nothing yet, for `record`),
 * not open in another Chromium (its SingletonLock, `<host>-<pid>`, names a live process).
 */
export async function checkProfile(dir: string, mustExist: boolean): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new CommandError(`--profile ${dir}: ${error.message}`);
  });
  if (!info) {
    if (mustExist) throw new CommandError(`--profile ${dir} does not exist. Pass the profile folder \`record\` used (it prints "Profile: <folder>").`);
    return;
  }
  if (!info.isDirectory()) {
    throw new CommandError(
      `--profile ${dir} is not a folder. Pass a folder for Chromium's profile: a new (or missing) one to start afresh, or one \`record\` used before.`,
    );
  }
  if (mustExist) {
    const hasProfile = await stat(join(dir, 'Default')).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!hasProfile) throw new CommandError(`--profile ${dir} is not a Chromium profile (it has no Default folder). Pass the profile folder \`record\` used.`);
  }
  const lock = join(dir, 'SingletonLock');
  const isLink = await lstat(lock).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  if (!isLink) return;
  const owner = await readlink(lock).catch(() => '');
  const match = /^(.*)-(\d+)$/.exec(owner);
  const inUse = match?.[1] !== hostname() || isAlive(Number(match[2]));
  if (inUse) {
    throw new CommandError(
      `--profile ${dir} is in use by another Chromium (its SingletonLock names ${owner || 'an unknown process'}). ` +
        `Chromium opens a profile in one browser at a time: close that browser first, or pass another --profile.`,
    );
  }
}

/** A headed browser needs a display: say so at once instead of Chromium's own failure. */
export function checkDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return;
  throw new CommandError(
    'record opens a headed Chromium, and there is no display: DISPLAY and WAYLAND_DISPLAY are both unset. ' +
      'Run it in a desktop session, or on a server under a virtual display: xvfb-run -a npx playwright-background-services record …',
  );
}

/**
 * `record` and `export` open a persistent profile, which only a browser on this machine can:
 * Playwright has no `launchPersistentContext` over `connect()`. A shell set up for a remote
 * browser server gets that said, not a local browser it did not ask for.
 */
function checkNotRemote(command: string, env: NodeJS.ProcessEnv): void {
  const endpoint = env.PW_TEST_CONNECT_WS_ENDPOINT;
  if (!endpoint) return;
  throw new CommandError(
    `${command} opens Chromium on a persistent profile folder of this machine, and PW_TEST_CONNECT_WS_ENDPOINT=${endpoint} asks for a remote browser server, ` +
      `which cannot open one (Playwright has no launchPersistentContext over connect()). ` +
      `Run ${command} where a browser can start, with the variable unset: env -u PW_TEST_CONNECT_WS_ENDPOINT npx playwright-background-services ${command} …`,
  );
}

async function launch(profile: string, headless: boolean, browserArgs: readonly string[]): Promise<BrowserContext> {
  // Loaded here, not at the top: the input checks and their errors come at once without it.
  const { chromium } = await import('@playwright/test');
  // As the fixtures choose: a full Chromium, never the headless shell Playwright would pick for
  // `--headless` (it has no notifications, background sync or fetch to record).
  const { launchOptions } = chooseChromium({ launchOptions: { args: [...browserArgs] }, playwrightExecutablePath: chromium.executablePath() });
  if (headless) process.env.PLAYWRIGHT_CHROMIUM_USE_HEADLESS_NEW ??= '1';
  try {
    return await chromium.launchPersistentContext(profile, {
      headless,
      ...launchOptions,
      viewport: headless ? undefined : null,
      // Ctrl-C is ours: the files are written before the browser closes.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new CommandError(`Could not launch Chromium on --profile ${profile}: ${(error as Error).message.split('\n')[0]}`);
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function writeFiles(events: readonly RecordedEvent[], out: string, services: readonly ServiceName[], io: Io): Promise<string[]> {
  const files = await saveEvents(events, out, 'write');
  for (const file of files) {
    const service = basename(file).split('-')[0];
    io.log(`Wrote ${file} (${plural(events.filter((event) => event.service === service).length, 'event')})`);
  }
  if (files.length === 0) io.log(`No events of ${services.join(', ')} were recorded: no files written.`);
  return files;
}

/**
 * `record`: a headed Chromium on a persistent profile, recording the services (DevTools' Record
 * button, which Chromium keeps on in the profile for three days). Prints each event as it comes;
 * when the browser is closed (or on Ctrl-C) writes DevTools' "Save events" files.
 */
export async function recordCommand(args: BrowserCommandArgs, io: Io): Promise<number> {
  const services = parseServices(args.services);
  const profile = resolve(args.profile ?? `background-services-profile-${compactIsoTime(new Date())}`);
  const out = resolve(args.out ?? '.');
  checkNotRemote('record', io.env);
  await checkProfile(profile, false);
  if (!args.headless) checkDisplay(io.env);
  await mkdir(profile, { recursive: true });
  io.log(`Profile: ${profile}`);
  const context = await launch(profile, args.headless, args.browserArgs);

  const events = new Map<string, RecordedEvent>();
  const add = (event: RecordedEvent) => {
    const key = eventKey(event);
    if (events.has(key)) return;
    events.set(key, event);
    io.log(`  ${formatEvent(event, events.size - 1)}`);
  };
  let stored: StoredRecording | undefined;
  const attach = async (): Promise<void> => {
    const page = context.pages().find((candidate) => !candidate.isClosed());
    if (!page) {
      context.once('page', () => void attach().catch(() => {}));
      return;
    }
    const next = await openStoredRecording(page, services, { record: true });
    stored = next;
    next.events.forEach(add);
    next.onEvent(add);
    // The person closed the tab we listen on, not the browser: listen on another one.
    next.onAbort(() => {
      if (stored === next) void attach().catch(() => {});
    });
  };
  let onInt = () => {};
  let onTerm = () => {};
  const ended = new Promise<'closed' | 'SIGINT' | 'SIGTERM'>((done) => {
    context.once('close', () => done('closed'));
    onInt = () => done('SIGINT');
    onTerm = () => done('SIGTERM');
    io.signals.once('SIGINT', onInt);
    io.signals.once('SIGTERM', onTerm);
  });
  try {
    await attach();
  } catch (error) {
    await context.close().catch(() => {});
    throw new CommandError(`Could not start recording: ${(error as Error).message}`);
  }
  const earlier = [...events.values()].filter((event) => event.preexisting).length;
  io.log(`Recording ${services.join(', ')}. Chromium keeps recording them in this profile for three days, even with this command ended.`);
  if (earlier) io.log(`(${plural(earlier, 'event')} above were stored in this profile earlier.)`);
  io.log(`Browse as usual, then close the browser (or press Ctrl-C): the files go to ${out}.`);
  if (args.url) {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(args.url).catch((error: Error) => io.logError(`Could not open ${args.url}: ${error.message.split('\n')[0]}`));
  }

  const why = await ended;
  io.signals.off('SIGINT', onInt);
  io.signals.off('SIGTERM', onTerm);
  io.log(why === 'closed' ? 'The browser was closed.' : `Stopping (${why === 'SIGINT' ? 'Ctrl-C' : why}): writing what was recorded.`);
  const files = await writeFiles([...events.values()], out, services, io);
  if (why !== 'closed') {
    await stored?.close().catch(() => {});
    // A graceful close: Chromium writes the profile (and the recording's expiry) on exit.
    await context.close().catch(() => {});
  }
  if (files.length) io.log(`Next: npx playwright-background-services view ${files.map((file) => JSON.stringify(file)).join(' ')}`);
  return 0;
}

/** `export`: everything a profile stored for the services, as DevTools' "Save events" files. */
export async function exportCommand(args: BrowserCommandArgs, io: Io): Promise<number> {
  const services = parseServices(args.services);
  if (!args.profile) throw new CommandError('export needs --profile DIR: the profile folder `record` used.');
  const profile = resolve(args.profile);
  const out = resolve(args.out ?? '.');
  checkNotRemote('export', io.env);
  await checkProfile(profile, true);
  // Reading needs no window: headless even where record ran headed.
  const context = await launch(profile, true, args.browserArgs);
  let events: readonly RecordedEvent[];
  try {
    const stored = await openStoredRecording(context, services);
    events = stored.events;
    await stored.close();
  } finally {
    await context.close().catch(() => {});
  }
  await writeFiles(events, out, services, io);
  const until = await storedRecordingExpiry(profile).catch((): Partial<Record<ServiceName, Date>> => ({}));
  const now = Date.now();
  const recording = services.filter((service) => (until[service]?.getTime() ?? 0) > now);
  if (recording.length) {
    io.log(`Still recording in this profile: ${recording.map((service) => `${service} until ${until[service]!.toISOString()}`).join(', ')}.`);
  }
  return 0;
}
