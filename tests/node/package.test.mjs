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

test("the lock records every platform's build binaries, so `npm ci` works on macOS, Windows and Linux", async () => {
  const { readFile } = await import('node:fs/promises');
  const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'));
  const packages = Object.keys(lock.packages);
  const want = [
    '@rollup/rollup-darwin-arm64',
    '@rollup/rollup-darwin-x64',
    '@rollup/rollup-linux-x64-gnu',
    '@rollup/rollup-linux-arm64-gnu',
    '@rollup/rollup-win32-x64-msvc',
    '@esbuild/darwin-arm64',
    '@esbuild/darwin-x64',
    '@esbuild/linux-x64',
    '@esbuild/linux-arm64',
    '@esbuild/win32-x64',
  ];
  const missing = want.filter((name) => !packages.includes(`node_modules/${name}`));
  assert.deepEqual(
    missing,
    [],
    `package-lock.json lacks ${missing.join(', ')}: regenerate it with \`rm -rf node_modules package-lock.json && npm install\` (npm records every platform's optional binaries then)`,
  );
});

test('the lock matches package.json (what `npm ci` checks before installing)', async () => {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'));
  const root = lock.packages[''];
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    assert.deepEqual(root[field] ?? {}, pkg[field] ?? {}, `package-lock.json's ${field} differ from package.json: run \`npm install\` and commit the lock`);
  }
});

test('the public surface stays small: at most 60 names at the root, and the .d.ts per module format within its budget', async () => {
  const { readdir, stat } = await import('node:fs/promises');
  const ts = (await import('typescript')).default;
  const root = new URL('../../dist/', import.meta.url);
  const program = ts.createProgram([new URL('index.d.ts', root).pathname], { skipLibCheck: true });
  const checker = program.getTypeChecker();
  const names = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(new URL('index.d.ts', root).pathname))).map((s) => s.name);
  assert.ok(names.length <= 60, `the package root exports ${names.length} names (at most 60): ${names.sort().join(', ')}`);
  assert.ok(!names.some((name) => name.startsWith('_')), 'no plumbing at the root');
  // Issue 27's 55 KiB, with every type of the API named (the `Types` namespace) and the .d.ts
  // compacted after tsup (scripts/dts-compact.mjs). Hover docs stay one summary and one example; the
  // reference is docs/. `node scripts/dts-size.mjs` shows what takes the room, declaration by declaration.
  const BUDGET = 55 * 1024;
  for (const suffix of ['.d.ts', '.d.cts']) {
    const files = (await readdir(root)).filter((file) => file.endsWith(suffix));
    const bytes = (await Promise.all(files.map((file) => stat(new URL(file, root))))).reduce((sum, s) => sum + s.size, 0);
    assert.ok(
      bytes <= BUDGET,
      `dist/*${suffix} is ${(bytes / 1024).toFixed(1)} KB (budget ${BUDGET / 1024} KiB, ${BUDGET} bytes): ${files.join(', ')}. Run node scripts/dts-size.mjs to see what grew.`,
    );
  }
});

test('hover docs reach the user: matchers on both expects, fixtures and functions, from the built .d.ts', async () => {
  const ts = (await import('typescript')).default;
  const { readFileSync } = await import('node:fs');
  const path = (await import('node:path')).default;
  const { sys } = ts;
  const config = ts.getParsedCommandLineOfConfigFile(
    path.resolve('tests/consumer/tsconfig.json'),
    {},
    { ...sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const service = ts.createLanguageService({
    fileExists: (file) => sys.fileExists(file),
    readFile: (file) => sys.readFile(file),
    readDirectory: (...args) => sys.readDirectory(...args),
    directoryExists: (dir) => sys.directoryExists(dir),
    getDirectories: (dir) => sys.getDirectories(dir),
    realpath: (file) => sys.realpath?.(file) ?? file,
    getCurrentDirectory: () => sys.getCurrentDirectory(),
    getScriptFileNames: () => config.fileNames,
    getScriptVersion: () => '1',
    getScriptSnapshot: (file) => (sys.fileExists(file) ? ts.ScriptSnapshot.fromString(sys.readFile(file)) : undefined),
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
  });
  const file = path.resolve('tests/consumer/consumer.ts');
  const text = readFileSync(file, 'utf8');
  const hover = (code) => {
    const at = text.indexOf(code);
    assert.ok(at >= 0, `consumer.ts has no \`${code}\``);
    const info = service.getQuickInfoAtPosition(file, at + code.length - 1);
    return { doc: ts.displayPartsToString(info?.documentation), tags: (info?.tags ?? []).map((tag) => tag.name) };
  };
  const cases = [
    ['expect(recording).toHaveRecordedEvent', 'Passes once the recording holds an event matching `filter`.'],
    ["plainExpect(await loadRecording('x.json')).toHaveRecordedEvent", 'Passes once the recording holds an event matching `filter`.'],
    ['await recordBackgroundService', "DevTools' Record button (all six services when omitted)."],
    ['await createBackgroundServices', 'Creates a page'],
  ];
  for (const [code, doc] of cases) {
    const got = hover(code);
    assert.ok(got.doc.startsWith(doc), `hover on \`${code}\` shows "${got.doc}", expected "${doc}…"`);
  }
  assert.deepEqual(hover('expect(recording).toHaveRecordedEvent').tags, ['example']);
  // Every fixture, as a test destructures it: `async ({ pushService }) =>` shows its member's doc.
  const checker = service.getProgram().getTypeChecker();
  const entry = service.getProgram().getSourceFile(path.resolve('dist/index.d.ts'));
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(entry)).find((symbol) => symbol.name === 'BackgroundServicesFixtures');
  const fixtures = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(exported)).getProperties();
  assert.ok(fixtures.length >= 17, `BackgroundServicesFixtures has ${fixtures.length} members: ${fixtures.map((f) => f.name).join(', ')}`);
  const undocumented = fixtures.filter((fixture) => ts.displayPartsToString(fixture.getDocumentationComment(checker)).trim() === '').map((f) => f.name);
  assert.deepEqual(undocumented, [], 'these fixtures show no hover doc: give each one sentence in src/fixtures/options.ts');
});

test("with a service, a misspelt eventName's type error lists that service's events only (both expects, each filter of toHaveRecordedEvents, waitForEvent)", async () => {
  const ts = (await import('typescript')).default;
  const path = (await import('node:path')).default;
  const config = ts.getParsedCommandLineOfConfigFile(
    path.resolve('tests/consumer/tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  // A file of the consumer project that exists only in memory, so that it resolves the package as consumer.ts does.
  const file = path.resolve('tests/consumer/narrowing.ts');
  // Each line that should fail has one diagnostic below, in order; every other line must type-check.
  const code = [
    "import { expect as standalone } from 'expect';",
    "import { mergeExpects, expect as baseExpect } from '@playwright/test';",
    "import { expect, type BackgroundServiceRecording } from 'playwright-background-services';",
    "import 'playwright-background-services/matchers';",
    'declare const recording: BackgroundServiceRecording;',
    "await standalone(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event complete' });",
    "await recording.waitForEvent({ service: 'backgroundSync', eventName: 'Sync complete' });",
    "await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event complete' });",
    "await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Sync completed' });",
    "await expect(recording).not.toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Sync complete' });",
    "await expect.soft(recording).toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Sync complete' });",
    "await expect.configure({ timeout: 1 })(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event complete' });",
    "await expect(recording).toHaveRecordedEvents([{ service: 'backgroundSync', eventName: 'Sync completed' }, { service: 'pushMessaging', eventName: 'Push event complete' }]);",
    "await standalone(recording).toHaveRecordedEvents([{ eventName: /x/ }, { service: 'backgroundSync', eventName: 'Sync complete' }]);",
    // What must still type-check: a service's own names, any name without a service, the other expects.
    "await expect(recording).toHaveRecordedEvent({ service: 'pushMessaging', eventName: 'Push event completed', metadata: { Status: 'Success' } });",
    "await expect(recording).toHaveRecordedEvent({ eventName: 'Sync completed' });",
    "await expect(recording).toHaveRecordedEvents([{ service: 'pushMessaging', eventName: 'Push event completed' }, { eventName: 'Sync completed' }], { ordered: true });",
    "await standalone(recording).toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Sync completed' });",
    "await expect.poll(() => recording).toHaveRecordedEvent({ eventName: 'Sync completed' });",
    "await mergeExpects(baseExpect, expect)(recording).toHaveRecordedEvent({ service: 'backgroundSync', eventName: 'Sync completed' });",
  ].join('\n');
  const base = ts.createCompilerHost(config.options);
  const host = {
    ...base,
    getSourceFile: (name, ...rest) => (name === file ? ts.createSourceFile(name, code, ts.ScriptTarget.ES2022) : base.getSourceFile(name, ...rest)),
    fileExists: (name) => name === file || base.fileExists(name),
    readFile: (name) => (name === file ? code : base.readFile(name)),
  };
  const program = ts.createProgram([file], config.options, host);
  const messages = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const push = `'RegExp | "Push message received" | "Push event dispatched" | "Push event completed" | UnlistedEventName | undefined'`;
  const sync = `'RegExp | "Registered sync" | "Dispatched sync event" | "sync event failed" | "Sync event reregistered" | "Sync completed" | UnlistedEventName | undefined'`;
  const pushTypo = `Type '"Push event complete"' is not assignable to type ${push}. Did you mean '"Push event completed"'?`;
  const syncTypo = `Type '"Sync complete"' is not assignable to type ${sync}. Did you mean '"Sync completed"'?`;
  assert.deepEqual(messages, [
    pushTypo,
    syncTypo,
    pushTypo,
    `Type '"Sync completed"' is not assignable to type ${push}.`,
    syncTypo,
    syncTypo,
    pushTypo,
    pushTypo,
    syncTypo,
  ]);
});
