// The import rules of src/README.md ("Import direction"), checked by `npm run lint:imports`
// (`depcruise src --config .dependency-cruiser.cjs`), a phase of .ci/run. When a folder's
// imports change on purpose, change its line in FOLDERS and the paragraph in src/README.md
// together.

/** Each folder of src/ and the other folders it may import (itself always). */
const FOLDERS = {
  cdp: [],
  'background-services': ['cdp'],
  reporting: ['cdp', 'background-services'],
  support: ['cdp', 'background-services', 'reporting'],
  push: ['cdp', 'background-services'],
  fcm: ['cdp', 'background-services', 'push'],
  bfcache: ['cdp', 'support', 'background-services'],
  'bounce-tracking': ['cdp', 'support'],
  notifications: ['cdp', 'background-services'],
  evidence: ['cdp', 'background-services', 'bfcache'],
  'web-server': ['cdp', 'fcm'],
  clock: ['cdp'],
  // Every folder it asserts on.
  matchers: ['cdp', 'background-services', 'reporting', 'support', 'push', 'fcm', 'bfcache', 'bounce-tracking', 'notifications', 'evidence'],
};

const escape = (name) => name.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
const any = (names) => `^src/(${names.map(escape).join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'src/README.md: "There are no cycles." Break it by moving the shared piece to the module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code, or an entry point to list here.',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$', // dot files
          '\\.d\\.ts$', // ambient declarations (push/http_ece.d.ts)
          '^src/index\\.ts$', // the package root
          '^src/matchers/entry\\.ts$', // the ./matchers entry
          '^src/bin\\.ts$', // the CLI
          '^src/config\\.ts$', // the ./config entry
          '^src/clock/fakeTimers\\.global\\.ts$', // the service worker bundle of fake-timers (tsup)
        ],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing on disk.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'folders-not-to-top-level-or-fixtures',
      severity: 'error',
      comment: 'src/README.md: the top-level files and fixtures/ import from the folders; no folder imports from the top level or from fixtures/.',
      // The ./matchers entry's declarations name the root's types (by the package's name: no shared .d.ts chunk).
      from: { path: '^src/[^/]+/', pathNot: ['^src/fixtures/', '^src/matchers/entry\\.ts$'] },
      to: { path: ['^src/[^/]+\\.ts$', '^src/fixtures/'] },
    },
    {
      name: 'folder-not-in-the-map',
      severity: 'error',
      comment: 'A new folder of src/: give it a line in FOLDERS (.dependency-cruiser.cjs) and in the folder map of src/README.md.',
      from: { path: '^src/[^/]+/', pathNot: any(['fixtures', ...Object.keys(FOLDERS)]) },
      to: { path: '^src/' },
    },
    ...Object.entries(FOLDERS).map(([folder, allowed]) => ({
      name: `${folder}-imports`,
      severity: 'error',
      comment: allowed.length
        ? `src/README.md: ${folder}/ imports only ${allowed.map((name) => `${name}/`).join(', ')}.`
        : `src/README.md: ${folder}/ imports nothing else of the library.`,
      from: { path: `^src/${escape(folder)}/` },
      // Top-level files and fixtures/ are the rule above's.
      to: { path: '^src/[^/]+/', pathNot: [any([folder, ...allowed]), '^src/fixtures/'] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      // devtools-protocol has types and no code.
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
