#!/usr/bin/env node
// `playwright test` with the given arguments. Without a display, and with xvfb-run on the
// machine, it runs under xvfb-run so that the headed project (examples-headed) runs too.
import { spawnSync } from 'node:child_process';

const args = ['playwright', 'test', ...process.argv.slice(2)];
const hasXvfb = !process.env.DISPLAY && process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
if (!process.env.DISPLAY && !hasXvfb)
  console.warn('No display and no xvfb-run: the headed project (examples-headed) does not run. Install the xvfb package to run it.');
const [command, commandArgs] = hasXvfb ? ['xvfb-run', ['-a', 'npx', ...args]] : ['npx', args];
const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
process.exit(result.status ?? 1);
