// The built package as a user gets it: a consumer file type-checks against dist/*.d.ts, and the
// package passes publint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

test('a consumer spec type-checks against the built types', () => {
  try {
    execFileSync('npx', ['tsc', '-p', 'tests/consumer/tsconfig.json'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
  }
});
