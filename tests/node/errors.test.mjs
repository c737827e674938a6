// Every error the library throws is a BackgroundServicesError (users catch one class): walks the
// throw sites of src/ with the TypeScript compiler and fails on any other constructor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('../..', import.meta.url).pathname;
const src = join(root, 'src');

// Code serialized into the page or the service worker, where it stands in for the browser's own API.
const EXEMPT = [{ file: 'src/push/shim.ts', name: 'DOMException', why: "the Push API shim runs in the page and rejects as Chromium's PushManager does" }];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [join(dir, entry.name)] : [],
  );
}

const parsed = sourceFiles(src).map((file) => ({
  file: relative(root, file),
  source: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
}));

function walk(node, visit) {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** Every class of src/ with the name of the class it extends. */
function classes() {
  const parents = new Map();
  for (const { source } of parsed) {
    walk(source, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
      parents.set(node.name.text, heritage?.types[0]?.expression.getText());
    });
  }
  return parents;
}

/** BackgroundServicesError and every class of src/ that extends it, directly or not. */
function allowedNames() {
  const errorsFile = parsed.find(({ file }) => file === join('src', 'cdp', 'errors.ts'));
  assert.ok(errorsFile, 'src/cdp/errors.ts is where BackgroundServicesError is declared');
  assert.match(errorsFile.source.text, /export class BackgroundServicesError extends Error\b/);
  const parents = classes();
  const allowed = new Set(['BackgroundServicesError']);
  for (let grown = true; grown;) {
    grown = false;
    for (const [name, parent] of parents) {
      if (!allowed.has(name) && allowed.has(parent)) {
        allowed.add(name);
        grown = true;
      }
    }
  }
  return allowed;
}

/** `throw new X(…)`, `Promise.reject(new X(…))` and `reject(new X(…))` (a promise's or a pending call's). */
function throwSites(files = parsed) {
  const sites = [];
  for (const { file, source } of files) {
    walk(source, (node) => {
      let created;
      if (ts.isThrowStatement(node) && node.expression && ts.isNewExpression(node.expression)) created = node.expression;
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        const [first] = node.arguments;
        if (name === 'reject' && first && ts.isNewExpression(first)) created = first;
      }
      if (!created) return;
      const line = source.getLineAndCharacterOfPosition(created.getStart()).line + 1;
      sites.push({ file, line, name: created.expression.getText() });
    });
  }
  return sites;
}

test('every error thrown or rejected in src/ is a BackgroundServicesError', () => {
  const allowed = allowedNames();
  const sites = throwSites();
  assert.ok(sites.length > 100, `found only ${sites.length} throw sites: the walk missed some`);
  assert.ok(allowed.has('UnsupportedFeatureError') && allowed.has('PageCrashedError'), [...allowed].join(', '));
  const wrong = sites.filter(({ file, name }) => !allowed.has(name) && !EXEMPT.some((e) => e.file === file && e.name === name));
  assert.deepEqual(
    wrong.map(({ file, line, name }) => `${file}:${line}: new ${name}(…)`),
    [],
    `Throw a BackgroundServicesError or a subclass of it (src/cdp/errors.ts) instead. Allowed: ${[...allowed].sort().join(', ')}`,
  );
});

test('the walk sees each form: throw, Promise.reject and a pending call’s reject', () => {
  const text =
    'throw new Error("a");\nPromise.reject(new TypeError("b"));\nnew Promise((_, reject) => reject(new RangeError("c")));\ncall.reject(new Oops("d"));';
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  assert.deepEqual(
    throwSites([{ file: 'x.ts', source }]).map(({ line, name }) => `${line} ${name}`),
    ['1 Error', '2 TypeError', '3 RangeError', '4 Oops'],
  );
});
