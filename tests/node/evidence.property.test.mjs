// Property tests of the CLI's generators on any event data: `spec` writes TypeScript that parses,
// whose string literals are the data exactly and whose comments hold no code; `view` writes
// HTML in which no data string appears raw. generateSpec is internal (the CLI's), so the source
// is bundled here with esbuild; renderTimeline is the package's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';
import { build } from 'esbuild';
import { renderTimeline } from 'playwright-background-services';
import { check } from './property-support.mjs';

let generateSpec;
let parseSavedEvents;
let dir;
before(async () => {
  // Inside the package, so that 'playwright-background-services' resolves to dist/ for the type check.
  dir = await mkdtemp(join(process.cwd(), 'tests', 'node', '.generated-'));
  const bundle = await build({
    stdin: {
      contents: "export { generateSpec } from './src/evidence/cli.ts'; export { parseSavedEvents } from './src/background-services/events.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Playwright as installed, not bundled: older playwright-core lib/ folders (1.57's) require
    // chromium-bidi modules that the package does not ship, which esbuild cannot resolve.
    external: ['@playwright/test', 'playwright', 'playwright-core'],
    write: false,
    logLevel: 'silent',
  });
  // A file in the package (not a data: URL), so that the external imports resolve from node_modules.
  const file = join(dir, 'bundle.mjs');
  await writeFile(file, bundle.outputFiles[0].text);
  ({ generateSpec, parseSavedEvents } = await import(pathToFileURL(file).href));
});
after(() => rm(dir, { recursive: true, force: true }));

// Strings that break naive quoting, comments and HTML.
const nasty = fc.constantFrom(
  "'",
  '"',
  '`',
  '\\',
  '${x}',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\t',
  '\0',
  '*/',
  '//',
  '</script>',
  '<script>',
  '<!--',
  '-->',
  '<',
  '&',
  '\ud800',
  '\udc00',
  '😀',
  '\u200b',
);
const data = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 2 })), { maxLength: 4 }).map((parts) => parts.join('')),
);
const STEP_EVENTS = [
  ['pushMessaging', 'Push event dispatched'],
  ['backgroundSync', 'Dispatched sync event'],
  ['backgroundSync', 'Registered sync'],
  ['periodicBackgroundSync', 'Dispatched periodicsync event'],
  ['backgroundFetch', 'Background Fetch registered'],
  ['paymentHandler', 'Payment request'],
  ['notifications', 'Notification displayed'],
  ['pushMessaging', 'Push event completed'],
];
const savedEvent = fc
  .record({
    timestamp: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
    origin: fc.oneof(fc.constantFrom('', 'https://a.test/'), data),
    serviceWorkerRegistrationId: fc.oneof(fc.constant('1'), data),
    kind: fc.constantFrom(...STEP_EVENTS),
    instanceId: data,
    eventMetadata: fc.array(
      fc.record({
        key: fc.oneof(fc.constantFrom('Payload', 'Title', 'Method Name', 'Last Chance', 'Status'), data),
        value: fc.oneof(fc.constant('Yes'), data),
      }),
      { maxLength: 3 },
    ),
    storageKey: data,
  })
  .map(({ kind: [service, eventName], ...rest }) => ({ ...rest, service, eventName }));
const exportName = fc.oneof(
  fc.constant('pushMessaging-20261121T054403'),
  data.map((name) => name.replace(/[/\\\0]/g, '_') || 'x'),
);

/** Every string literal of the file, as TypeScript reads it, checked against JavaScript's reading. */
function stringLiterals(source) {
  const values = [];
  const identifiers = new Set();
  const visit = (node) => {
    if (ts.isStringLiteral(node)) {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- JavaScript's own reading of the literal is the reference
      const js = new Function(`return ${node.getText(source)};`)();
      assert.equal(js, node.text, `JavaScript and TypeScript read ${node.getText(source)} alike`);
      values.push(node.text);
    }
    if (ts.isIdentifier(node)) identifiers.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { values, identifiers };
}

// What a generated spec may name: anything else came out of a comment or a literal.
const NAMES = new Set([
  'test',
  'expect',
  'saved',
  'page',
  'recordBackgroundService',
  'triggerPush',
  'triggerSync',
  'triggerPeriodicSync',
  'recording',
  'goto',
  'toMatchRecording',
  'lastChance',
  'ignore',
]);

function checkSpec(text, events, exportPath) {
  const { diagnostics } = ts.transpileModule(text, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  assert.deepEqual(
    diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    [],
    'the spec parses',
  );
  const source = ts.createSourceFile('spec.ts', text, ts.ScriptTarget.ES2022, true);
  assert.equal(source.statements.length, 3, 'import, const saved, test(): nothing leaked out of a comment');
  const { values, identifiers } = stringLiterals(source);
  for (const name of identifiers) assert.ok(NAMES.has(name), `the spec names only its own identifiers, got ${JSON.stringify(name)}`);
  assert.ok(values.includes(relative(process.cwd(), exportPath).split('\\').join('/')), 'the export path is a literal, exactly');
  const registered = new Set(events.filter((e) => e.eventName === 'Registered sync').map((e) => e.instanceId));
  for (const event of events) {
    const metadata = Object.fromEntries(event.eventMetadata.map(({ key, value }) => [key, value]));
    if (event.eventName === 'Push event dispatched')
      assert.ok(values.includes(metadata.Payload ?? ''), `the payload ${JSON.stringify(metadata.Payload)} is a literal`);
    if (event.eventName === 'Dispatched periodicsync event' || (event.eventName === 'Dispatched sync event' && !registered.has(event.instanceId))) {
      assert.ok(values.includes(event.instanceId), `the tag ${JSON.stringify(event.instanceId)} is a literal`);
    }
  }
  // A UTF-8 file cannot hold a lone surrogate: the text must not contain one.
  assert.equal(Buffer.from(text, 'utf8').toString('utf8'), text, 'the spec survives being written as UTF-8');
}

const generated = [];

test('property: spec output parses, its literals are the data exactly, its comments hold no code', async () => {
  await check(
    'spec generator',
    200,
    fc.property(fc.array(savedEvent, { minLength: 1, maxLength: 5 }), exportName, (saved, name) => {
      const events = parseSavedEvents(saved, 'test');
      const exportPath = join(dir, `${name}.json`);
      const text = generateSpec(events, exportPath);
      checkSpec(text, saved, exportPath);
      if (generated.length < 25) generated.push(text);
    }),
  );
});

test('the generated specs type-check against the package (no error from the generator)', async () => {
  assert.ok(generated.length > 0);
  const files = [];
  for (const [i, text] of generated.entries()) {
    const file = join(dir, `spec-${i}.ts`);
    await writeFile(file, text);
    files.push(file);
  }
  const started = performance.now();
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const errors = files
    .flatMap((file) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file)))
    .map((d) => `${relative(dir, d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  assert.deepEqual(errors, []);
  console.log(`type-checked ${files.length} generated specs in ${Math.round(performance.now() - started)} ms`);
});

// ---------------------------------------------------------------------------------------------

const SCRIPT_DATA = /<script type="application\/json" id="timeline-data">([\s\S]*?)<\/script>/;

test('property: view (renderTimeline) never puts a data string raw into the HTML', async () => {
  const report = fc.record({
    url: data,
    type: data,
    status: fc.constantFrom('Queued', 'Success'),
    destination: data,
    generatedAt: data,
    body: fc.dictionary(data, data, { maxKeys: 2 }),
  });
  const endpoint = fc.record({ origin: data, groupName: data, url: data });
  const bfcache = fc.record({ url: data, restored: fc.boolean(), reasons: fc.array(fc.record({ type: data, reason: data }), { maxLength: 2 }) });
  const input = fc.record({
    title: data,
    events: fc.array(savedEvent, { maxLength: 4 }),
    reports: fc.array(report, { maxLength: 2 }),
    endpoints: fc.array(endpoint, { maxLength: 2 }),
    backForwardCache: fc.array(bfcache, { maxLength: 2 }),
    scopes: fc.dictionary(data, data, { maxKeys: 2 }),
  });
  // The page's own markup, with every data string left out; and its tags when every section
  // has plain data in it: the only tags a page may have.
  const empty = renderTimeline({ events: [] });
  const plain = renderTimeline({
    title: 't',
    events: [
      {
        timestamp: 1,
        origin: 'https://a.test/',
        serviceWorkerRegistrationId: '1',
        service: 'pushMessaging',
        eventName: 'Push event dispatched',
        instanceId: '',
        eventMetadata: [{ key: 'Payload', value: 'x' }],
        storageKey: 'https://a.test/',
      },
    ],
    reports: [{ url: 'https://a.test/', type: 'csp-violation', status: 'Success', destination: 'main', generatedAt: '', body: { a: 'b' } }],
    endpoints: [{ origin: 'https://a.test', groupName: 'main', url: 'https://a.test/r' }],
    backForwardCache: [{ url: 'https://a.test/', restored: false, reasons: [{ type: 'Circumstantial', reason: 'x' }] }],
    scopes: { 1: 'https://a.test/' },
  });
  const ownTags = new Set([...`${empty}${plain}`.matchAll(/<\/?([^\s>/]*)/g)].map(([, tag]) => tag.toLowerCase()));
  const count = (text, part) => text.split(part).length - 1;
  await check(
    'view timeline',
    200,
    fc.property(input, (timeline) => {
      const html = renderTimeline(timeline);
      for (const part of ['<script', '</script', '<!--', '<title', '</title', '<style', '</style']) {
        assert.ok(count(html.toLowerCase(), part) <= count(empty.toLowerCase(), part) + (part.includes('title') ? 0 : 0), `no data adds ${part}`);
      }
      assert.ok(!/[\u2028\u2029]/.test(html.match(SCRIPT_DATA)[1]), 'no raw U+2028/U+2029 in the script data');
      // Outside the markup the page itself writes, every '<' opens one of its own tags.
      for (const [, tag] of html.matchAll(/<\/?([^\s>/]*)/g)) {
        assert.ok(ownTags.has(tag.toLowerCase()), `a tag <${tag}> came from the data`);
      }
      const parsed = JSON.parse(html.match(SCRIPT_DATA)[1]);
      assert.deepEqual(
        parsed.events.map((e) => [e.eventName, e.instanceId, e.origin, e.eventMetadata]),
        [...timeline.events]
          .sort((a, b) => a.timestamp - b.timestamp)
          .map((e) => [e.eventName, e.instanceId, e.origin, e.eventMetadata.map(({ key, value }) => ({ key, value }))]),
        'the events read back exactly',
      );
    }),
  );
});
