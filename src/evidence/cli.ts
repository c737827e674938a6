import { readFile, writeFile } from 'node:fs/promises';
import { describeWriteFailure } from '../background-services/saveFiles.js';
import { basename, dirname, relative, resolve } from 'node:path';
import { parseSavedEvents, toProtocolEvent, type RecordedEvent } from '../background-services/events.js';
import { renderTimeline } from './timeline.js';
import { SERVICES } from '../background-services/services.js';
import { CommandError, exportCommand, recordCommand, type BrowserCommandArgs } from './record.js';
import { BackgroundServicesError } from '../cdp/errors.js';

const USAGE = `Usage:
  playwright-background-services record [--profile DIR] [--services a,b] [--url URL] [-o DIR]
      Opens Chromium on a persistent profile (a new folder by default) with DevTools' recording on
      for the services (all six by default; Chromium keeps recording them in the profile for three
      days). Browse as usual, then close the browser (or press Ctrl-C): DevTools' "Save events"
      files of everything recorded go to the -o folder (default: the current one).
  playwright-background-services export --profile DIR [--services a,b] [-o DIR]
      Writes DevTools' "Save events" files of everything the profile recorded so far, across
      browser restarts, each event once with its original timestamp.
  playwright-background-services view <export.json>... [-o timeline.html]
      An HTML timeline (DevTools' Background Services grid and a time axis) of "Save events" exports.
  playwright-background-services spec <export.json> [--url PATH] [-o name.spec.ts]
      A starting Playwright spec that reproduces the export and asserts it with toMatchRecording;
      --url is the page it opens first (default '/').

Options of record and export: --browser-arg ARG (repeatable) passes ARG to Chromium.
`;

export class UsageError extends BackgroundServicesError {
  override name = 'UsageError';
}

const COMMANDS = ['record', 'export', 'view', 'spec'] as const;
type Command = (typeof COMMANDS)[number];

interface Args extends BrowserCommandArgs {
  command: Command;
  files: string[];
}

/** The options each command takes (the hidden --headless is for tests). */
const OPTIONS: Readonly<Record<Command, readonly string[]>> = {
  record: ['--profile', '--services', '--url', '--out', '--headless', '--browser-arg'],
  export: ['--profile', '--services', '--out', '--browser-arg'],
  view: ['--out'],
  spec: ['--out', '--url'],
};

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') throw new UsageError('');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
  const args: Args = { command: command as Command, files: [], headless: false, browserArgs: [] };
  const allowed = OPTIONS[args.command];
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i]!;
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === '-o') arg = '--out';
    if (!arg.startsWith('-') || arg === '-') {
      args.files.push(arg);
      continue;
    }
    if (!allowed.includes(arg)) throw new UsageError(`Unknown option ${arg} for ${command}.`);
    if (arg === '--headless') {
      args.headless = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`${arg} needs a value.`);
    if (arg === '--browser-arg') args.browserArgs.push(value);
    else if (arg === '--out') args.out = value;
    else if (arg === '--profile') args.profile = value;
    else if (arg === '--services') args.services = value;
    else if (arg === '--url') args.url = value;
  }
  if (args.command === 'record' || args.command === 'export') {
    if (args.files.length) throw new UsageError(`${command} takes no file arguments (got ${args.files.join(' ')}); use -o DIR for where the files go.`);
    return args;
  }
  if (args.files.length === 0) throw new UsageError(`${command} needs an export file (the JSON DevTools' "Save events" writes).`);
  if (command === 'spec' && args.files.length > 1) throw new UsageError('spec takes one export file.');
  return args;
}

async function readExport(file: string): Promise<RecordedEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseSavedEvents(json, file);
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A string literal that evaluates to exactly `text`: control characters, U+2028/U+2029 and lone
 * surrogates (which a UTF-8 file cannot hold) are escaped.
 */
const quote = (text: string) =>
  // eslint-disable-next-line no-control-regex -- the control characters are what it escapes
  `'${text.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => ESCAPES[c] ?? hex(c))}'`;

/** Text for a `//` comment: a line break in it would end the comment and turn the rest into code. */
const commentText = (text: string) => quote(text).slice(1, -1);

/** The steps a recorded sequence suggests, as code lines (DevTools' buttons and what pages do). */
function suggestSteps(events: readonly RecordedEvent[]): { lines: string[]; fixtures: Set<string> } {
  const lines: string[] = [];
  const fixtures = new Set<string>();
  const registeredSyncs = new Set(events.filter((e) => e.eventName === 'Registered sync').map((e) => e.instanceId));
  for (const event of events) {
    if (event.eventName === 'Push event dispatched') {
      fixtures.add('triggerPush');
      lines.push(`await triggerPush(${quote(event.metadata.Payload ?? '')});`);
    } else if (event.eventName === 'Dispatched sync event' && !registeredSyncs.has(event.instanceId)) {
      fixtures.add('triggerSync');
      lines.push(`await triggerSync(${quote(event.instanceId)}${event.metadata['Last Chance'] === 'Yes' ? ', { lastChance: true }' : ''});`);
    } else if (event.eventName === 'Registered sync') {
      lines.push(`// TODO: do what makes the page call registration.sync.register(${quote(event.instanceId)})`);
    } else if (event.eventName === 'Dispatched periodicsync event') {
      fixtures.add('triggerPeriodicSync');
      lines.push(`await triggerPeriodicSync(${quote(event.instanceId)});`);
    } else if (event.eventName === 'Background Fetch registered') {
      lines.push(`// TODO: do what makes the page call backgroundFetch.fetch(${quote(event.instanceId)}, …)`);
    } else if (event.eventName === 'Payment request') {
      lines.push(`// TODO: do what makes the page call new PaymentRequest(…).show() (${commentText(event.metadata['Method Name'] ?? 'a payment method')})`);
    } else if (event.eventName === 'Notification displayed' && !events.some((e) => e.eventName === 'Push event dispatched')) {
      lines.push(`// TODO: do what makes the page show the notification ${quote(event.metadata.Title ?? '')}`);
    }
  }
  return { lines, fixtures };
}

/** The spec `spec` writes: a test that does what the export suggests and asserts the export. */
export function generateSpec(events: readonly RecordedEvent[], exportPath: string, url?: string): string {
  const services = SERVICES.filter((service) => events.some((event) => event.service === service));
  const origins = [...new Set(events.map((event) => event.origin).filter(Boolean))];
  const { lines, fixtures } = suggestSteps(events);
  const ignore = events.some((event) => event.service === 'paymentHandler') ? `, { ignore: ['instanceId'] }` : '';
  const exportRef = relative(process.cwd(), exportPath).split('\\').join('/');
  const name = basename(exportPath).replace(/\.json$/i, '');
  return `import { test, expect } from 'playwright-background-services';

// Generated by \`playwright-background-services spec ${commentText(basename(exportPath))}\` from a DevTools "Save events" export:
// ${events.length} event(s) of ${services.join(', ')}${origins.length ? ` recorded on ${commentText(origins.join(', '))}` : ''}.
// The path is relative to the folder you run Playwright from.
const saved = ${quote(exportRef)};

test(${quote(`reproduces ${name}`)}, async ({ ${['page', 'recordBackgroundService', ...fixtures].join(', ')} }) => {
  const recording = await recordBackgroundService(${JSON.stringify(services).replace(/"/g, "'")});
  ${url ? `await page.goto(${quote(url)});` : `await page.goto('/'); // TODO: the page of ${origins[0] === undefined ? 'the site' : commentText(origins[0])} that registers the service worker`}

${(lines.length ? lines : ['// TODO: the steps that reproduce the recording']).map((line) => `  ${line}`).join('\n')}

  await expect(recording).toMatchRecording(saved${ignore});
});
`;
}

export async function main(
  argv: readonly string[],
  log: (text: string) => void = console.log,
  logError: (text: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (!error.message) {
      log(USAGE);
      return 0;
    }
    logError(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const io = { log, logError, env, signals: process };
    if (args.command === 'record') return await recordCommand(args, io);
    if (args.command === 'export') return await exportCommand(args, io);
    if (args.command === 'view') {
      const events = (await Promise.all(args.files.map(readExport))).flat();
      const out = args.out ?? args.files[0]!.replace(/\.json$/i, '') + '.html';
      const title = `Background services: ${args.files.map((file) => basename(file)).join(', ')}`;
      await writeOut(out, renderTimeline({ events: events.map(toProtocolEvent), title }));
      log(`Wrote ${out} (${events.length} events)`);
    } else {
      const file = args.files[0]!;
      const events = await readExport(file);
      // toMatchRecording refuses an empty recording: the spec would fail before it starts.
      if (events.length === 0) throw new CommandError(`${file} holds no events: a spec needs at least one event to reproduce.`);
      const out = args.out ?? resolve(dirname(file), `${basename(file).replace(/\.json$/i, '')}.spec.ts`);
      await writeOut(out, generateSpec(events, resolve(file), args.url));
      log(`Wrote ${out} (${events.length} events to reproduce)`);
    }
    return 0;
  } catch (error) {
    logError(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

async function writeOut(out: string, content: string): Promise<void> {
  try {
    await writeFile(out, content);
  } catch (error) {
    throw new CommandError(`Cannot write ${resolve(out)}: ${await describeWriteFailure(error, out)}. Pass --out with a path this process can write.`, {
      cause: error,
    });
  }
}
