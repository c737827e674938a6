#!/usr/bin/env node
// Runs the suite against other versions of the @playwright/test peer dependency, the way a user
// gets the package: the dist/ built here, in a copy of the repository whose node_modules holds
// the other version (installed from npm). The copies live in .peer/<version>/.
//
//   node scripts/test-peer.mjs lowest latest      # the ends of the peer range (CI)
//   node scripts/test-peer.mjs 1.50.1             # any version
//
// "lowest" is the floor of peerDependencies["@playwright/test"]; "latest" is npm's latest tag,
// skipped when it is the version installed here (which `npm test` has just covered).
import { execFileSync, spawnSync } from 'node:child_process';
// The headless shell is where the browser choice differs most between Playwright versions.
const SHELL = process.env.CHROMIUM_HEADLESS_SHELL ?? '/usr/lib/chromium/chromium-headless-shell';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const installed = JSON.parse(readFileSync(join(root, 'node_modules/@playwright/test/package.json'), 'utf8')).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function lowest() {
  const range = pkg.peerDependencies['@playwright/test'];
  const floor = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!floor) throw new Error(`peerDependencies["@playwright/test"] is "${range}": expected ">=x.y.z".`);
  return floor[1];
}

function latest() {
  return execFileSync(npm, ['view', '@playwright/test@latest', 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function run(command, args, cwd, env = {}) {
  console.log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function copyRepository(version) {
  const dir = join(root, '.peer', version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  // The package exactly as built here: users never rebuild it against their Playwright.
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  if (existsSync(join(root, '.browsers'))) symlinkSync(join(root, '.browsers'), join(dir, '.browsers'));
  const copy = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  copy.devDependencies['@playwright/test'] = version;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(copy, null, 2)}\n`);
  rmSync(join(dir, 'package-lock.json'), { force: true });
  return dir;
}

function testVersion(version) {
  const dir = copyRepository(version);
  if (run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir) !== 0) return { ok: false, text: 'npm install failed' };
  const got = JSON.parse(readFileSync(join(dir, 'node_modules/@playwright/test/package.json'), 'utf8')).version;
  if (got !== version) return { ok: false, text: `npm installed ${got} instead of ${version}` };
  // The 5-minute @slow example waits on Chromium's clock, not on Playwright: the main run has it.
  const failed = [];
  // Tests tagged @not-on-peer-floor need a newer Playwright than the floor (docs/browsers.md, "Playwright
  // versions"): they run at npm's latest and in the main run.
  const skip = version === lowest() ? '@slow|@not-on-peer-floor' : '@slow';
  if (
    run(
      'npx',
      [
        'playwright',
        'test',
        '--project=examples',
        '--project=tests',
        ...(existsSync(SHELL) ? ['--project=examples-headless-shell'] : []),
        `--grep-invert=${skip}`,
      ],
      dir,
    ) !== 0
  )
    failed.push('playwright test');
  if (run(process.execPath, ['--test', 'tests/node/'], dir) !== 0) failed.push('node --test tests/node/');
  return failed.length ? { ok: false, text: `failed: ${failed.join(', ')}` } : { ok: true, text: 'passed' };
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['lowest', 'latest'];
if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
const results = [];
for (const name of wanted) {
  const version = name === 'lowest' ? lowest() : name === 'latest' ? latest() : name;
  if (version === installed && name === 'latest') {
    results.push({ name, version, ok: true, text: `same as the installed ${installed}: covered by npm test` });
    continue;
  }
  console.log(`\n=== @playwright/test ${version} (${name}) ===`);
  results.push({ name, version, ...testVersion(version) });
}
console.log('\n@playwright/test peer range:');
for (const { name, version, text } of results) console.log(`  ${name.padEnd(8)} ${version.padEnd(10)} ${text}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
