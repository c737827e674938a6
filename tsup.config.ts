import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', matchers: 'src/matchers/entry.ts', cli: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  // @internal members (constructors taking a CDP session, plumbing) stay out of the .d.ts.
  dts: { compilerOptions: { stripInternal: true } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Users bring their own Playwright: one copy of `test` and `expect` in their process.
  external: ['@playwright/test', 'expect'],
});
