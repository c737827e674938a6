import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BackgroundServicesError } from './errors.js';

export interface ResolveChromiumOptions {
  /** An explicit executable; wins over everything else. */
  executablePath?: string;
  /** Where Playwright's own Chromium would be (`chromium.executablePath()`). */
  playwrightExecutablePath?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** Environment variables read for an explicit executable, in this order. */
export const CHROMIUM_ENV_VARS = ['PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM', 'CHROME_PATH'] as const;

function systemCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((root): root is string => !!root);
    return roots.flatMap((root) => [join(root, 'Chromium', 'Application', 'chrome.exe'), join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')]);
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => names.map((name) => join(dir, name)));
  return [...new Set([...onPath, ...names.map((name) => `/usr/bin/${name}`), '/snap/bin/chromium'])];
}

/**
 * Finds the Chromium to launch: an explicit path (option, then `PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM`
 * or `CHROME_PATH`), then Playwright's own Chromium (returns `undefined`: Playwright launches it
 * itself), then a system Chromium or Chrome. Throws one message saying how to get one.
 * @example
 * // playwright.config.ts, when you set launchOptions yourself:
 * use: { launchOptions: { executablePath: resolveChromiumExecutable({ playwrightExecutablePath: chromium.executablePath() }) } }
 */
export function resolveChromiumExecutable(options: ResolveChromiumOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const tried: string[] = [];
  if (options.executablePath !== undefined) {
    if (existsSync(options.executablePath)) return options.executablePath;
    throw new BackgroundServicesError(
      `chromiumExecutablePath is set to ${JSON.stringify(options.executablePath)}, but no file exists there. ` +
        `Point it at a Chromium or Chrome executable, or remove it to use Playwright's Chromium or the system's.`,
    );
  }
  for (const name of CHROMIUM_ENV_VARS) {
    const value = env[name];
    if (!value) {
      tried.push(`$${name} (not set)`);
      continue;
    }
    if (existsSync(value)) return value;
    throw new BackgroundServicesError(
      `$${name} is set to ${JSON.stringify(value)}, but no file exists there. Point it at a Chromium or Chrome executable, or unset it.`,
    );
  }
  if (options.playwrightExecutablePath) {
    if (existsSync(options.playwrightExecutablePath)) return undefined;
    tried.push(`Playwright's Chromium at ${options.playwrightExecutablePath} (not installed)`);
  }
  const candidates = systemCandidates(env, platform);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  tried.push(`system browsers: ${candidates.join(', ')}`);
  throw new BackgroundServicesError(
    `No Chromium to launch. Tried: ${tried.join('; ')}. ` +
      `Install one with \`npx playwright install chromium\`, or your distribution's package (\`apt-get install chromium\`), ` +
      `or set PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM=/path/to/chrome.`,
  );
}

/** Who picked the browser the fixtures launch, for messages about what it lacks. */
export type BrowserChoiceSource =
  | 'launchOptions.executablePath'
  | 'launchOptions.channel'
  | 'channel'
  | 'chromiumExecutablePath'
  | (typeof CHROMIUM_ENV_VARS)[number]
  | 'playwright'
  | 'system'
  | 'remote-default';

export interface BrowserChoice {
  source: BrowserChoiceSource;
  channel?: string;
  executablePath?: string;
}

export interface ChooseChromiumInput {
  /** The user's `launchOptions`, and `use: { channel }`. */
  launchOptions: { channel?: string; executablePath?: string; args?: string[] };
  channel?: string;
  /** The `chromiumExecutablePath` option. */
  chromiumExecutablePath?: string;
  /** `chromium.executablePath()`: where Playwright's full Chromium is, installed or not. */
  playwrightExecutablePath: string;
  /**
   * The browser runs on a remote server (`connectOptions`): nothing is looked up on this machine,
   * and the default is the server's full Chromium through `channel: 'chromium'`.
   */
  remote?: boolean;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * What the fixtures launch. An explicit choice (launch options, `channel`, the
 * `chromiumExecutablePath` option, an environment variable) always wins, even the headless shell.
 * Otherwise a full Chromium in new headless mode, never chrome-headless-shell, which Playwright
 * would pick for a headless run and which lacks half of the services: Playwright's Chromium
 * through `channel: 'chromium'`, else the system's Chromium or Chrome.
 * @example
 * const { launchOptions, choice } = chooseChromium({ launchOptions: {}, playwrightExecutablePath: chromium.executablePath() });
 */
export function chooseChromium(input: ChooseChromiumInput): {
  launchOptions: { channel?: string; executablePath?: string; args: string[] };
  choice: BrowserChoice;
} {
  const env = input.env ?? process.env;
  const args = [...(input.launchOptions.args ?? [])];
  const { executablePath, channel } = input.launchOptions;
  if (executablePath) return { launchOptions: { args }, choice: { source: 'launchOptions.executablePath', executablePath } };
  if (channel) return { launchOptions: { args }, choice: { source: 'launchOptions.channel', channel } };
  if (input.channel) return { launchOptions: { args }, choice: { source: 'channel', channel: input.channel } };
  if (input.remote) {
    // A path on the server's machine: it cannot be checked from here, and only `run-server --unsafe` passes it on.
    if (input.chromiumExecutablePath !== undefined) {
      return {
        launchOptions: { executablePath: input.chromiumExecutablePath, args },
        choice: { source: 'chromiumExecutablePath', executablePath: input.chromiumExecutablePath },
      };
    }
    return { launchOptions: { channel: 'chromium', args }, choice: { source: 'remote-default', channel: 'chromium' } };
  }
  const explicit = input.chromiumExecutablePath ?? CHROMIUM_ENV_VARS.map((name) => env[name]).find(Boolean);
  const found = resolveChromiumExecutable({
    executablePath: input.chromiumExecutablePath,
    playwrightExecutablePath: input.playwrightExecutablePath,
    env,
    platform: input.platform,
  });
  if (found === undefined) return { launchOptions: { channel: 'chromium', args }, choice: { source: 'playwright', channel: 'chromium' } };
  const source: BrowserChoiceSource =
    input.chromiumExecutablePath !== undefined
      ? 'chromiumExecutablePath'
      : explicit
        ? (CHROMIUM_ENV_VARS.find((name) => env[name] === found) ?? 'system')
        : 'system';
  return { launchOptions: { executablePath: found, args }, choice: { source, executablePath: found } };
}

/** How the browser was chosen, in words, for error messages and the probe's report. */
export function describeChoice(choice: BrowserChoice | undefined): string {
  if (!choice) return 'launched outside the fixtures';
  switch (choice.source) {
    case 'launchOptions.executablePath':
      return `chosen by launchOptions.executablePath = ${JSON.stringify(choice.executablePath)}`;
    case 'launchOptions.channel':
      return `chosen by launchOptions.channel = ${JSON.stringify(choice.channel)}`;
    case 'channel':
      return `chosen by channel: ${JSON.stringify(choice.channel)} (use: { channel } in the config, a project or test.use())`;
    case 'chromiumExecutablePath':
      return `chosen by the chromiumExecutablePath option = ${JSON.stringify(choice.executablePath)}`;
    case 'playwright':
      return `Playwright's Chromium through channel: 'chromium', the fixtures' default`;
    case 'system':
      return `the system's browser at ${choice.executablePath}, the fixtures' default when Playwright's Chromium is not installed`;
    case 'remote-default':
      return `the server's full Chromium through channel: 'chromium', the fixtures' default`;
    default:
      return `chosen by $${choice.source} = ${JSON.stringify(choice.executablePath)}`;
  }
}

/** Whether the user picked the browser (so the fix is theirs to make), not the fixtures. */
export function isExplicitChoice(choice: BrowserChoice | undefined): boolean {
  return !!choice && choice.source !== 'playwright' && choice.source !== 'system' && choice.source !== 'remote-default';
}
