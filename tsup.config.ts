import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', matchers: 'src/matchers/entry.ts', cli: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Users bring their own Playwright: one copy of `test` and `expect` in their process.
  external: ['@playwright/test', 'expect'],
});
