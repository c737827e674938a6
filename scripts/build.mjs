#!/usr/bin/env node
// `tsup` and scripts/dts-compact.mjs, then a stamp of what it built from. With --if-changed it builds only when src/ or the
// build's configuration differ from the stamp: `npm run examples`, `npm test` and `npm run
// test:peers` each start with it, and rebuilding an unchanged tree three times cost CI a minute.
//   node scripts/build.mjs [--if-changed]
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
// Outside dist/, which ships.
const stamp = join(root, 'node_modules/.cache/playwright-background-services/build.sha256');
const inputs = ['src', 'tsup.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/dts-compact.mjs'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function digest() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => files(join(root, input))))
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const before = digest();
const built = existsSync(join(root, 'dist/index.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === before;
if (process.argv.includes('--if-changed') && built) {
  console.log('dist/ is built from this src/: not rebuilt (npm run build forces it).');
  process.exit(0);
}
// tsup, then the .d.ts rewritten compact (scripts/dts-compact.mjs).
for (const [command, args] of [
  ['npx', ['tsup']],
  [process.execPath, [join(root, 'scripts/dts-compact.mjs')]],
]) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
mkdirSync(dirname(stamp), { recursive: true });
writeFileSync(stamp, before);
