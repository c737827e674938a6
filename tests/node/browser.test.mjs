import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseChromium, describeChoice, resolveChromiumExecutable } from '#internal';

const dir = mkdtempSync(join(tmpdir(), 'pbs-'));
const fake = (name) => {
  const path = join(dir, name);
  writeFileSync(path, '');
  return path;
};
const explicit = fake('explicit-chrome');
const fromEnv = fake('env-chrome');
const playwrights = fake('playwright-chrome');
const system = fake('chromium');
const linux = { platform: 'linux' };

test("an explicit path wins, then the environment, then Playwright's, then the system's", () => {
  const env = { PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM: fromEnv, PATH: dir };
  assert.equal(resolveChromiumExecutable({ ...linux, executablePath: explicit, env, playwrightExecutablePath: playwrights }), explicit);
  assert.equal(resolveChromiumExecutable({ ...linux, env, playwrightExecutablePath: playwrights }), fromEnv);
  assert.equal(resolveChromiumExecutable({ ...linux, env: { CHROME_PATH: fromEnv }, playwrightExecutablePath: playwrights }), fromEnv);
  // Playwright's own browser: undefined lets Playwright launch it as usual.
  assert.equal(resolveChromiumExecutable({ ...linux, env: { PATH: dir }, playwrightExecutablePath: playwrights }), undefined);
  assert.equal(resolveChromiumExecutable({ ...linux, env: { PATH: dir }, playwrightExecutablePath: join(dir, 'missing') }), system);
});

test('a path that does not exist is named', () => {
  assert.throws(() => resolveChromiumExecutable({ ...linux, executablePath: '/nope/chrome' }), {
    message:
      'chromiumExecutablePath is set to "/nope/chrome", but no file exists there. Point it at a Chromium or Chrome executable, or remove it to use Playwright\'s Chromium or the system\'s.',
  });
  assert.throws(() => resolveChromiumExecutable({ ...linux, env: { CHROME_PATH: '/nope/chrome' } }), {
    message: '$CHROME_PATH is set to "/nope/chrome", but no file exists there. Point it at a Chromium or Chrome executable, or unset it.',
  });
});

test('with no browser anywhere, one message says what was tried and how to get one', () => {
  const empty = mkdtempSync(join(tmpdir(), 'pbs-empty-'));
  assert.throws(() => resolveChromiumExecutable({ platform: 'darwin', env: { PATH: empty }, playwrightExecutablePath: join(empty, 'chrome') }), {
    message:
      `No Chromium to launch. Tried: $PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM (not set); $CHROME_PATH (not set); ` +
      `Playwright's Chromium at ${join(empty, 'chrome')} (not installed); system browsers: /Applications/Chromium.app/Contents/MacOS/Chromium, ` +
      `/Applications/Google Chrome.app/Contents/MacOS/Google Chrome. Install one with \`npx playwright install chromium\`, ` +
      `or your distribution's package (\`apt-get install chromium\`), or set PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM=/path/to/chrome.`,
  });
});

test('the fixtures launch a full Chromium, never the headless shell, unless the user chose', () => {
  const base = { platform: 'linux', env: { PATH: dir }, playwrightExecutablePath: playwrights };
  // Playwright's own Chromium: channel 'chromium', the full browser in new headless mode.
  const ours = chooseChromium({ ...base, launchOptions: { args: ['--foo'] } });
  assert.deepEqual(ours.launchOptions, { channel: 'chromium', args: ['--foo'] });
  assert.deepEqual(ours.choice, { source: 'playwright', channel: 'chromium' });
  assert.equal(describeChoice(ours.choice), "Playwright's Chromium through channel: 'chromium', the fixtures' default");
  // No Playwright Chromium: the system's.
  const system_ = chooseChromium({ ...base, playwrightExecutablePath: join(dir, 'missing'), launchOptions: {} });
  assert.deepEqual(system_, { launchOptions: { executablePath: system, args: [] }, choice: { source: 'system', executablePath: system } });
  // An explicit choice wins and is left as it is, even the shell.
  const shell = fake('chrome-headless-shell');
  assert.deepEqual(chooseChromium({ ...base, launchOptions: { executablePath: shell } }).choice, {
    source: 'launchOptions.executablePath',
    executablePath: shell,
  });
  assert.deepEqual(chooseChromium({ ...base, launchOptions: { executablePath: shell } }).launchOptions, { args: [] });
  assert.deepEqual(chooseChromium({ ...base, launchOptions: { channel: 'msedge' } }).choice, { source: 'launchOptions.channel', channel: 'msedge' });
  assert.deepEqual(chooseChromium({ ...base, channel: 'chrome', launchOptions: {} }).choice, { source: 'channel', channel: 'chrome' });
  assert.deepEqual(chooseChromium({ ...base, chromiumExecutablePath: shell, launchOptions: {} }), {
    launchOptions: { executablePath: shell, args: [] },
    choice: { source: 'chromiumExecutablePath', executablePath: shell },
  });
  const env = { PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM: shell };
  const fromEnvChoice = chooseChromium({ ...base, env, launchOptions: {} }).choice;
  assert.deepEqual(fromEnvChoice, { source: 'PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM', executablePath: shell });
  assert.equal(describeChoice(fromEnvChoice), `chosen by $PLAYWRIGHT_BACKGROUND_SERVICES_CHROMIUM = ${JSON.stringify(shell)}`);
});
