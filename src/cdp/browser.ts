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
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((root): root is string => !!root);
    return roots.flatMap((root) => [join(root, 'Chromium', 'Application', 'chrome.exe'), join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')]);
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => names.map((name) => join(dir, name)));
  return [...new Set([...onPath, ...names.map((name) => `/usr/bin/${name}`), '/snap/bin/chromium'])];
}

/**
 * Finds the Chromium to launch: an explicit path (option, then `PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM`
 * or `CHROME_PATH`), then Playwright's own Chromium (returns `undefined`: Playwright launches it
 * itself), then a system Chromium or Chrome. Throws one message saying how to get one.
 *
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
