// The documentation's shape (issue 21): a short README for the user, relative links that resolve,
// and the snippet check's reading of markdown (the type-check itself is `npm run snippets`, a CI
// phase of its own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { documentationFiles, extractSnippets } from '../../scripts/check-snippets.mjs';

test('the README stays short: at most 300 lines, the reference lives in docs/', () => {
  const lines = readFileSync('README.md', 'utf8').trimEnd().split('\n').length;
  assert.ok(lines <= 300, `README.md has ${lines} lines: move reference material to docs/ (see CONTRIBUTING.md, "The documentation")`);
});

/** GitHub's anchor for a heading. */
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

test('every relative link of README.md, CONTRIBUTING.md and docs/ resolves, anchors included', () => {
  const files = documentationFiles();
  const withoutCode = (text) => text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  const anchors = new Map(
    files.map((file) => [normalize(file), new Set([...withoutCode(readFileSync(file, 'utf8')).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])))]),
  );
  const broken = [];
  for (const file of files) {
    for (const [, target] of withoutCode(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split('#');
      const resolved = path ? normalize(join(dirname(file), path)) : normalize(file);
      if (!existsSync(resolved)) broken.push(`${file}: ${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith('.md') && !anchors.get(resolved)?.has(anchor))
        broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('README.md and docs/ work from the package: no example, test or demo file of the repository is cited', () => {
  // The package ships dist/, docs/, README.md, CONTRIBUTING.md and CHANGELOG.md (package.json "files"):
  // a user reading docs/ in node_modules has no examples/, tests/ or fixtures/ to open.
  const cited = [];
  for (const file of ['README.md', ...readdirSync('docs').map((name) => join('docs', name))].filter((f) => f.endsWith('.md'))) {
    for (const [line, text] of readFileSync(file, 'utf8').split('\n').entries()) {
      for (const match of text.matchAll(/[`(](?:\.\.\/)?((?:examples|tests|fixtures)\/[^`)\s]*)/g)) cited.push(`${file}:${line + 1}: ${match[1]}`);
    }
  }
  assert.deepEqual(cited, []);
});

test('the snippet check reads ts blocks with their line, prelude, epilogue and skip', () => {
  const markdown = [
    '# Title', //                                 1
    '', //                                        2
    '```ts', //                                   3
    "import { test } from 'x';", //              4
    '```', //                                     5
    '<!-- snippet: prelude', //                   6
    'declare const a: number;', //                7
    '-->', //                                     8
    '<!-- snippet: epilogue', //                  9
    '});', //                                     10
    '-->', //                                     11
    '', //                                        12
    '```typescript', //                           13
    'a;', //                                      14
    '```', //                                     15
    '<!-- snippet: skip: pseudo-code -->', //     16
    '```ts', //                                   17
    'nope', //                                    18
    '```', //                                     19
    '```sh', //                                   20
    'npm test', //                                21
    '```', //                                     22
    '- a list', //                                23
    '  ```ts', //                                 24
    '  const indented = 1;', //                   25
    '  ```', //                                   26
  ].join('\n');
  const snippets = extractSnippets(markdown, 'x.md');
  assert.deepEqual(
    snippets.map(({ line, code, prelude, epilogue, skip }) => ({ line, code, prelude: prelude?.code, epilogue: epilogue?.code, skip: skip?.reason })),
    [
      { line: 4, code: "import { test } from 'x';", prelude: undefined, epilogue: undefined, skip: undefined },
      { line: 14, code: 'a;', prelude: 'declare const a: number;', epilogue: '});', skip: undefined },
      { line: 18, code: 'nope', prelude: undefined, epilogue: undefined, skip: 'pseudo-code' },
      { line: 25, code: 'const indented = 1;', prelude: undefined, epilogue: undefined, skip: undefined },
    ],
  );
});

test('the snippet check refuses a directive that belongs to no snippet, and a skip without a reason', () => {
  assert.throws(
    () => extractSnippets('<!-- snippet: skip: why -->\ntext\n', 'x.md'),
    /^Error: x\.md:1: a <!-- snippet: … --> comment must come right before a ```ts block \(found text at line 2\)$/,
  );
  assert.throws(() => extractSnippets('<!-- snippet: skip -->\n```ts\na\n```\n', 'x.md'), /x\.md:1: <!-- snippet: skip: … --> needs a reason/);
  assert.throws(() => extractSnippets('<!-- snippet: prelude\nimport x\n', 'x.md'), /x\.md:1: <!-- snippet: prelude is never closed with -->/);
});

test('every README snippet can be copied as is: no hidden prelude or epilogue', () => {
  const hidden = extractSnippets(readFileSync('README.md', 'utf8'), 'README.md').filter((snippet) => snippet.prelude || snippet.epilogue);
  assert.deepEqual(
    hidden.map((snippet) => `README.md:${snippet.line}`),
    [],
    'these README snippets need code the reader does not see: put it in the snippet',
  );
});

test("CHANGELOG.md keeps Keep a Changelog's shape: one section per kind of change in each release, no entry twice", () => {
  const text = readFileSync('CHANGELOG.md', 'utf8');
  const releases = text.split(/^## /m).slice(1);
  assert.match(releases[0] ?? '', /^\[Unreleased\]/, 'the first release section is [Unreleased]');
  const kinds = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];
  for (const release of releases) {
    const title = release.split('\n')[0];
    const sections = [...release.matchAll(/^### (.*)$/gm)].map((m) => m[1].trim());
    assert.deepEqual(
      sections,
      [...new Set(sections)].sort((a, b) => kinds.indexOf(a) - kinds.indexOf(b)),
      `${title}: one section per kind, in the order ${kinds.join(', ')}`,
    );
    for (const section of sections) assert.ok(kinds.includes(section), `${title}: unknown section "${section}"`);
    // An entry is a "- " line and its indented continuation lines; a merge that replays a branch's entries repeats them.
    const entries = release
      .split(/^(?=- )/m)
      .slice(1)
      .map((entry) => entry.split(/\n(?![ ]{2})/)[0]);
    const repeated = entries.filter((entry, i) => entries.indexOf(entry) !== i);
    assert.deepEqual(repeated, [], `${title}: entries written twice`);
  }
});
