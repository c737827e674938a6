// ESLint flat config (issue 21): typescript-eslint's type-checked rules over the TypeScript, and
// over the plain JavaScript (.mjs) through tsconfig.eslint.json. Formatting is Prettier's
// (.prettierrc.json): no stylistic rule here fights it, so eslint-config-prettier is not needed.
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// .mjs files with a .d.mts beside them.
const jsWithDeclarations = ['scripts/event-catalogue.mjs', 'scripts/chromium-by-hand.mjs', 'fixtures/reporting.mjs', 'fixtures/push-backend.mjs'];

export default defineConfig(
  {
    ignores: ['dist/', '.peer/', '.browsers/', 'node_modules/', 'test-results/', 'playwright-report/', 'blob-report/', 'tests/node/.generated-*/'],
  },
  // tsc's declarations for API Extractor (tsconfig.api.json).
  { ignores: ['.api-temp/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // Node-side code: the library, its tests, examples, scripts, benchmarks, fixture servers, configs.
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    ignores: ['fixtures/public/**', 'fixtures/workbox/**', 'fixtures/bfcache/*.js', 'bench/pages/**'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // In no tsconfig.json program: the tool configs (tsconfig.json is the code's), and a .mjs
        // with a .d.mts beside it (TypeScript takes the declarations instead). They get the project
        // service's default project, with tsconfig.eslint.json's options.
        projectService: {
          allowDefaultProject: ['tsup.config.ts', 'eslint.config.js', '.dependency-cruiser.cjs', ...jsWithDeclarations],
          defaultProject: 'tsconfig.eslint.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Options, not exceptions. Playwright's fixtures must destructure their first parameter, even
      // when they use none: `async ({}, use) => ...`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // `const { a, ...rest } = x` is how a property is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // node:test's test() and suite() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      // Option types that extend one shared base keep a name of their own, for the docs and hovers.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // A caught value is passed on as it was caught (it may not be an Error: page code throws anything).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      // A few of strictTypeChecked's and stylisticTypeChecked's rules, those that fit this code as it
      // is. The rest of those two sets is not on: restrict-template-expressions' stricter options
      // (numbers in messages, ~390 hits), no-non-null-assertion (`[0]!` after a length check, under
      // noUncheckedIndexedAccess, ~190), no-confusing-void-expression (`() => void x` callbacks, ~110),
      // no-unnecessary-condition (checks of CDP fields that devtools-protocol types as always there
      // but older Chromiums leave out), no-empty-function (no-op callbacks), prefer-nullish-coalescing
      // (`process.env.X || default` means to treat '' as unset).
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/no-misused-spread': 'error',
      '@typescript-eslint/no-unnecessary-type-arguments': 'error',
      '@typescript-eslint/no-unnecessary-type-conversion': 'error',
      '@typescript-eslint/no-invalid-void-type': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/prefer-includes': 'error',
      '@typescript-eslint/prefer-optional-chain': 'error',
      '@typescript-eslint/consistent-type-definitions': 'error',
      '@typescript-eslint/consistent-indexed-object-style': 'error',
    },
  },
  // JavaScript files are not in tsconfig.json (no allowJs there, so `npm run typecheck` stays as
  // it is): tsconfig.eslint.json adds them, so that type-aware rules see their imports' types.
  {
    files: ['**/*.{js,mjs,cjs}'],
    ignores: [
      ...jsWithDeclarations,
      'eslint.config.js',
      '.dependency-cruiser.cjs',
      'fixtures/public/**',
      'fixtures/workbox/**',
      'fixtures/bfcache/*.js',
      'bench/pages/**',
    ],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './tsconfig.eslint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: {
      // JavaScript has no annotations: every parameter and JSON.parse result is `any`, so these five
      // would flag most lines of the .mjs scripts. They stay on for the TypeScript.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // Browser-side demo code: pages and service workers, no types.
  {
    files: ['fixtures/public/**/*.js', 'fixtures/workbox/**/*.js', 'fixtures/bfcache/*.js', 'bench/pages/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.serviceworker },
    },
  },
);
