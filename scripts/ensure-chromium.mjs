#!/usr/bin/env node
// Makes sure a Chromium is there before the specs run, using the library's own resolution
// (dist/, so run the build first). On a Debian-like machine as root with none found, installs
// Debian's `chromium` package; elsewhere prints how to get one and fails.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { resolveChromiumExecutable } from '#internal';

function resolve() {
  const found = resolveChromiumExecutable({ playwrightExecutablePath: chromium.executablePath() });
  return found ?? chromium.executablePath();
}

try {
  console.log(`Chromium: ${resolve()}`);
} catch (error) {
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    console.error(error.message);
    process.exit(1);
  }
  console.log("No Chromium found: installing Debian's chromium package (apt-get install -y chromium)…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log(`Chromium: ${resolve()}`);
}

// The rest of the browser matrix (playwright.config.ts): Debian's chrome-headless-shell, which is
// what Playwright launches for a headless run by default, Xvfb for the headed project, and
// dbus-daemon for the private session bus of the desktop notification tests.
const matrix = [
  ['chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell'],
  ['xvfb', '/usr/bin/xvfb-run'],
  ['xauth', '/usr/bin/xauth'],
  ['dbus-daemon', '/usr/bin/dbus-daemon'],
  // ip netns, for .ci/run's remote browser server phases.
  ['iproute2', '/usr/sbin/ip'],
  // The FCM stand-in's road for backends in other languages (examples/fcm-curl.spec.ts).
  ['curl', '/usr/bin/curl'],
]
  .filter(([, path]) => !existsSync(path))
  .map(([name]) => name);
if (matrix.length && process.platform === 'linux' && existsSync('/usr/bin/apt-get') && process.getuid?.() === 0) {
  try {
    console.log(`Installing the browser matrix's packages: apt-get install -y ${matrix.join(' ')}`);
    execFileSync('apt-get', ['install', '-y', '-qq', ...matrix], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    console.warn(`!!! ${matrix.join(', ')} could not be installed: the headless-shell and headed projects, or the desktop notification tests, will not run.`);
  }
}

// A second browser for bounce tracking's "Force run", which Chromium 156 no longer has.
if (!process.env.CHROMIUM_150 && process.platform === 'linux' && existsSync('/usr/bin/apt-get') && process.getuid?.() === 0) {
  try {
    const path = execFileSync('bash', ['scripts/install-chromium-150.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    console.log(`Chromium 150 (bounce tracking Force run): ${path}`);
  } catch {
    console.warn('!!! Chromium 150 could not be installed: the bounce tracking "Force run" tests will not run on it.');
  }
}
