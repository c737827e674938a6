#!/usr/bin/env node
// Runs the suite against other versions of the @playwright/test peer dependency, the way a user
// gets the package: the dist/ built here, in a copy of the repository whose node_modules holds
// the other version (installed from npm). The copies live in .peer/<version>/.
//
//   node scripts/test-peer.mjs lowest latest      # the floor and npm's latest (CI)
//   node scripts/test-peer.mjs middle             # the minor halfway between them
//   node scripts/test-peer.mjs 1.50.1             # any version
//   node scripts/test-peer.mjs 1.50 1.55 -- tests/integration/connectivity.spec.ts -g offline
//   node scripts/test-peer.mjs --install-only lowest latest   # only the copies' installs
//
// "lowest" is the floor of peerDependencies["@playwright/test"]; "latest" is npm's latest tag,
// asked at run time and skipped, with a line saying so, when it is the devDependency (which
// `npm test` has just covered); "middle" is
// the latest patch of the minor halfway between the floor's and latest's (1.57 and 1.65 give
// 1.61.1), computed so that it moves with each release. CI runs the ends of the range: the floor
// here, the devDependency in `npm test`, and npm's latest here when it is newer; the middle is for
// a change to src/fixtures/playwrightInternals.ts (CI's time budget has no room for a third copy).
// A bare minor ("1.50") is its latest patch. Arguments after `--` go to `playwright test` instead
// of the whole suite (for bisecting: the projects and node --test are then up to you;
// `--project=tests` is added when none is given). A copy whose node_modules already holds
// the version is refreshed without reinstalling it.
import { execFileSync, spawnSync } from 'node:child_process';
// The headless shell is where the browser choice differs most between Playwright versions.
const SHELL = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tested = pkg.devDependencies['@playwright/test'].replace(/^[\^~]/, '');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function lowest() {
  const range = pkg.peerDependencies['@playwright/test'];
  const floor = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!floor) throw new Error(`peerDependencies["@playwright/test"] is "${range}": expected ">=x.y.z".`);
  return floor[1];
}

let latestVersion;
/** npm's latest, asked at run time (once). */
function latest() {
  return (latestVersion ??= execFileSync(npm, ['view', '@playwright/test', 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}

let published;
/** The stable versions on npm, oldest first. */
function versions() {
  published ??= JSON.parse(
    execFileSync(npm, ['view', '@playwright/test', 'versions', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  return published;
}

/** The latest patch of a minor ("1.55" gives "1.55.1"). */
function latestPatch(minor) {
  const patches = versions().filter((v) => v.startsWith(`${minor}.`));
  if (!patches.length) throw new Error(`@playwright/test has no ${minor}.x release on npm.`);
  return patches.at(-1);
}

/** The latest patch of the minor halfway (rounded down) between the floor's and npm's latest. */
function middle() {
  const [major, low] = lowest().split('.').map(Number);
  const [latestMajor, high] = latest().split('.').map(Number);
  if (latestMajor !== major) throw new Error(`"middle" is computed within one major: the floor is ${lowest()}, latest is ${latest()}.`);
  return latestPatch(`${major}.${Math.floor((low + high) / 2)}`);
}

function resolveVersion(name) {
  if (name === 'lowest') return lowest();
  if (name === 'latest') return latest();
  if (name === 'middle') return middle();
  if (/^\d+\.\d+$/.test(name)) return latestPatch(name);
  return name;
}

function run(command, args, cwd, env = {}) {
  console.log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function installedIn(dir) {
  const file = join(dir, 'node_modules/@playwright/test/package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

// Lint, format, API report and package checks: they run once, in .ci/run, on the repository itself.
const CHECK_TOOLS = [
  '@arethetypeswrong/cli',
  '@eslint/js',
  '@microsoft/api-extractor',
  'dependency-cruiser',
  'eslint',
  'globals',
  'prettier',
  'publint',
  'typescript-eslint',
];

function copyRepository(version) {
  const dir = join(root, '.peer', version);
  // Keep an install of this very version (bisecting runs a version many times); the rest is copied afresh.
  const keep = installedIn(dir) === version;
  const modules = `${dir}.node_modules`;
  // With the lock npm wrote for that install (tests/node/package.test.mjs reads it).
  const lock = keep && existsSync(join(dir, 'package-lock.json')) ? readFileSync(join(dir, 'package-lock.json')) : undefined;
  if (keep) {
    rmSync(modules, { recursive: true, force: true });
    renameSync(join(dir, 'node_modules'), modules);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (keep) renameSync(modules, join(dir, 'node_modules'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  // The package exactly as built here: users never rebuild it against their Playwright.
  if (existsSync(join(root, 'dist'))) cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  if (existsSync(join(root, '.browsers'))) symlinkSync(join(root, '.browsers'), join(dir, '.browsers'));
  const copy = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  copy.devDependencies['@playwright/test'] = version;
  // The copy runs tests, not the checks: without these its install takes half the time.
  for (const name of CHECK_TOOLS) delete copy.devDependencies[name];
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(copy, null, 2)}\n`);
  rmSync(join(dir, 'package-lock.json'), { force: true });
  if (lock) writeFileSync(join(dir, 'package-lock.json'), lock);
  return { dir, installed: keep && !!lock };
}

// What depends on the Playwright version: every example (each fixture and matcher as users call
// them), and the integration specs that go through Playwright's own machinery (routes of worker
// requests, offline, persistent contexts, launch options and private fixtures, Playwright Test's
// expect, steps, attachments, reporters and CLI). The specs left out assert Chromium's behaviour over CDP,
// the same on every Playwright: \`npm test\` runs them once, on the devDependency.
// (bad-inputs.spec.ts is all @once: the library's own checks and texts.)
const PEER_SPECS = [
  'bfcache',
  'browser-support',
  'connect-over-cdp',
  'connectivity',
  'desktop-notifications',
  'evidence',
  'fcm',
  'headless-shell',
  'isolation',
  'matchers',
  'permissions',
  'probe-cache',
  'probe-isolation',
  'push-service',
  'record-cli',
  'sharding',
  'unsupported-browser',
  'unsupported-playwright',
  'user-channel',
  'user-launch-args',
  'user-launch-executable',
].map((name) => `tests/integration/${name}.spec.ts`);
// The node tests that load Playwright or read the installed version; the rest check the built
// package alone, which does not change with the peer.
const PEER_NODE_TESTS = ['evidence.property', 'matchers', 'package', 'playwrightInternals'].map((name) => `tests/node/${name}.test.mjs`);

function install(version) {
  const { dir, installed: ready } = copyRepository(version);
  if (!ready && run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir) !== 0) return { ok: false, text: 'npm install failed' };
  const got = installedIn(dir);
  if (got !== version) return { ok: false, text: `npm installed ${got} instead of ${version}` };
  return { ok: true, text: 'installed', dir };
}

function testVersion(version, only) {
  const { ok, text, dir } = install(version);
  if (!ok) return { ok, text };
  if (only) {
    const projects = only.some((arg) => arg.startsWith('--project')) ? [] : ['--project=tests'];
    return run('npx', ['playwright', 'test', ...projects, ...only], dir) === 0 ? { ok: true, text: 'passed' } : { ok: false, text: 'failed: playwright test' };
  }
  // Every example and PEER_SPECS, as a user's suite runs them. Not the @slow one: it waits 5 minutes
  // for Chromium's report garbage collection, which no Playwright version changes (the
  // examples-slow project runs it once, in `npm run examples`).
  const failed = [];
  if (
    run(
      'npx',
      [
        'playwright',
        'test',
        '--project=examples',
        '--project=tests',
        ...(existsSync(SHELL) ? ['--project=examples-headless-shell'] : []),
        // What neither Playwright's version nor the browser changes ran once, in `npm test`.
        '--grep-invert=@once',
        'examples/',
        ...PEER_SPECS,
      ],
      dir,
    ) !== 0
  )
    failed.push('playwright test');
  // The copy's devDependency is now `version`; the node tests check the library against the repository's own.
  if (run(process.execPath, ['--test', ...PEER_NODE_TESTS], dir, { PLAYWRIGHT_BACKGROUND_SERVICES_DEV_PLAYWRIGHT: tested }) !== 0) failed.push('node --test');
  return failed.length ? { ok: false, text: `failed: ${failed.join(', ')}` } : { ok: true, text: 'passed' };
}

const args = process.argv.slice(2);
const dashes = args.indexOf('--');
const flags = (dashes === -1 ? args : args.slice(0, dashes)).filter((arg) => arg.startsWith('--'));
const names = (dashes === -1 ? args : args.slice(0, dashes)).filter((arg) => !arg.startsWith('--'));
const only = dashes === -1 ? undefined : args.slice(dashes + 1);
const wanted = names.length ? names : ['lowest', 'middle'];
// --install-only: the copies and their npm installs, no test (.ci/run starts it early, in the
// background: the install waits on the network while the other phases work).
const installOnly = flags.includes('--install-only');
if (!installOnly && !existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
const results = [];
for (const name of wanted) {
  const version = resolveVersion(name);
  // CI's time is tight: npm's latest runs only when it is newer than what `npm test` just covered.
  if (name === 'latest' && version === tested) {
    console.log(`\n=== @playwright/test ${version} (latest) skipped: it is the devDependency ${tested}, which npm test covers ===`);
    results.push({ name, version, ok: true, text: `skipped: the devDependency ${tested}, covered by npm test` });
    continue;
  }
  console.log(`\n=== @playwright/test ${version} (${name}) ===`);
  results.push({ name, version, ...(installOnly ? install(version) : testVersion(version, only)) });
}
console.log('\n@playwright/test peer range:');
for (const { name, version, text } of results) console.log(`  ${name.padEnd(8)} ${version.padEnd(10)} ${text}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
