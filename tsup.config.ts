import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // internal: what this repository's tests and scripts import as #internal (package.json "imports").
    entry: { index: 'src/index.ts', matchers: 'src/matchers/entry.ts', config: 'src/config.ts', cli: 'src/bin.ts', internal: 'src/internal.ts' },
    format: ['esm', 'cjs'],
    // @internal members (constructors taking a CDP session, plumbing) stay out of the .d.ts.
    // Types for the three public entries only: the repository's own TypeScript resolves #internal to
    // src/ (tsconfig paths), and the CLI has none.
    dts: { entry: { index: 'src/index.ts', matchers: 'src/matchers/entry.ts', config: 'src/config.ts' }, compilerOptions: { stripInternal: true } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    // import.meta.url in the CommonJS build (playwrightInternals.ts reads @playwright/test's version).
    shims: true,
    // Users bring their own Playwright: one copy of `test` and `expect` in their process. The package's
    // own name: src/matchers/entry.ts's declarations import the root's, so the .d.ts has no shared chunk.
    external: ['@playwright/test', 'expect', 'playwright-background-services'],
  },
  {
    // @sinonjs/fake-timers for service workers (src/clock/): one classic script, read at run time.
    entry: { 'sw-fake-timers': 'src/clock/fakeTimers.global.ts' },
    format: ['iife'],
    platform: 'browser',
    globalName: '__pwbsFakeTimers',
    minify: true,
    outDir: 'dist',
    clean: false,
    dts: false,
    sourcemap: false,
    // Its Node branches (`timers`, `perf_hooks`, `util`) never run in a worker.
    esbuildPlugins: [
      {
        name: 'no-node',
        setup(build) {
          build.onResolve({ filter: /^(timers|timers\/promises|perf_hooks|util)$/ }, () => ({ path: 'empty', namespace: 'no-node' }));
          build.onLoad({ filter: /.*/, namespace: 'no-node' }, () => ({ contents: 'module.exports = {};' }));
        },
      },
    ],
  },
]);
