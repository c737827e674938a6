#!/usr/bin/env node
// Type-checks every TypeScript snippet of the documentation against the BUILT package, as a user
// would write it: each ```ts / ```typescript block of README.md, CONTRIBUTING.md and docs/**/*.md
// becomes a module of a temporary consumer project whose node_modules/playwright-background-services
// is this repository (so imports go through package.json "exports" to dist/), and `tsc` checks
// them all at once, with the options of tests/consumer/tsconfig.json. A failing snippet is named
// by file and line. Run `npm run build` first.
//
// A fragment gets what it needs from HTML comments right above its block (hidden when rendered):
//   <!-- snippet: prelude            code put before the snippet (imports, declarations)
//   …
//   -->
//   <!-- snippet: epilogue           code put after it (e.g. the `});` of a test the prelude opened)
//   …
//   -->
//   <!-- snippet: skip: reason -->   not checked; listed in the output with its reason
//
//   node scripts/check-snippets.mjs [--keep]   (--keep leaves the temporary project for a look)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LANGUAGES = new Set(['ts', 'typescript']);

/** README.md, CONTRIBUTING.md and every .md under docs/, as paths relative to the root. */
export function documentationFiles(base = root) {
  const files = ['README.md', 'CONTRIBUTING.md'].filter((file) => existsSync(join(base, file)));
  const walk = (dir) => {
    for (const entry of readdirSync(join(base, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(base, 'docs'))) walk('docs');
  return files;
}

/**
 * The TypeScript snippets of one markdown text: `{ line, code, prelude, epilogue, directiveLine,
 * skip }`, `line` being the 1-based line of the first line of code. Throws on a directive that
 * belongs to no snippet, or a block left open.
 */
export function extractSnippets(text, file = 'markdown') {
  const lines = text.split('\n');
  const snippets = [];
  let pending = {};
  const orphan = (at) => {
    const where = pending.prelude?.line ?? pending.epilogue?.line ?? pending.skip?.line;
    if (where) throw new Error(`${file}:${where}: a <!-- snippet: … --> comment must come right before a \`\`\`ts block (found ${at})`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const directive = /^\s*<!--\s*snippet:\s*(prelude|epilogue|skip)\b:?\s*(.*)$/.exec(line);
    if (directive) {
      const [, kind, rest] = directive;
      const start = i;
      if (kind === 'skip') {
        const reason = rest.replace(/-->\s*$/, '').trim();
        if (!reason) throw new Error(`${file}:${i + 1}: <!-- snippet: skip: … --> needs a reason`);
        pending.skip = { line: i + 1, reason };
        continue;
      }
      const body = [];
      if (rest.replace(/-->\s*$/, '').trim()) body.push(rest.replace(/-->\s*$/, ''));
      if (!/-->\s*$/.test(line)) {
        for (i++; i < lines.length && !/^\s*-->\s*$/.test(lines[i]); i++) body.push(lines[i]);
        if (i === lines.length) throw new Error(`${file}:${start + 1}: <!-- snippet: ${kind} is never closed with -->`);
      }
      pending[kind] = { line: start + 1, code: body.join('\n') };
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (fence) {
      const [, indent, marker, language] = fence;
      const open = i;
      const body = [];
      for (i++; i < lines.length; i++) {
        const close = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
        if (close.test(lines[i])) break;
        body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
      }
      if (i === lines.length) throw new Error(`${file}:${open + 1}: a code block is never closed`);
      if (LANGUAGES.has(language.toLowerCase())) {
        snippets.push({
          file,
          line: open + 2,
          endLine: i + 1,
          code: body.join('\n'),
          prelude: pending.prelude,
          epilogue: pending.epilogue,
          skip: pending.skip,
        });
      } else orphan(`a \`\`\`${language || ''} block`);
      pending = {};
      continue;
    }
    if (line.trim() !== '') {
      orphan(`text at line ${i + 1}`);
      pending = {};
    }
  }
  orphan('the end of the file');
  return snippets;
}

function linkNodeModules(project) {
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'playwright-background-services') continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry), 'dir');
  }
  // The package itself, as `npm install` would put it: imports resolve through its "exports" to dist/.
  symlinkSync(root, join(modules, 'playwright-background-services'), 'dir');
}

function main() {
  const keep = process.argv.includes('--keep');
  for (const built of ['dist/index.d.ts', 'dist/matchers.d.ts']) {
    if (!existsSync(join(root, built))) {
      console.error(`${built} is missing: run \`npm run build\` first (the snippets are checked against the built package).`);
      process.exit(1);
    }
  }
  const files = documentationFiles();
  let snippets;
  try {
    snippets = files.flatMap((file) => extractSnippets(readFileSync(join(root, file), 'utf8'), file));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  // The README is copied from as is: what a snippet there needs, it shows.
  const hidden = snippets.filter((snippet) => snippet.file === 'README.md' && (snippet.prelude || snippet.epilogue));
  for (const snippet of hidden) {
    console.error(
      `README.md:${snippet.line}: a README snippet has a hidden prelude or epilogue; put its imports and declarations in the snippet itself, so that it can be copied as is.`,
    );
  }
  if (hidden.length) process.exit(1);
  const checked = snippets.filter((snippet) => !snippet.skip);
  const skipped = snippets.filter((snippet) => snippet.skip);
  if (checked.length === 0) {
    console.error(`No TypeScript snippets found in ${files.join(', ')}.`);
    process.exit(1);
  }

  const project = mkdtempSync(join(tmpdir(), 'pbs-snippets-'));
  const sources = new Map();
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'snippets-consumer', private: true, type: 'module' }, undefined, 2));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          include: ['snippets/*.ts', 'ambient.d.ts'],
        },
        undefined,
        2,
      ),
    );
    // A user of web-push installs @types/web-push; this repository has no types for it.
    writeFileSync(join(project, 'ambient.d.ts'), "declare module 'web-push';\n");
    linkNodeModules(project);
    mkdirSync(join(project, 'snippets'));
    for (const snippet of checked) {
      const name = `${snippet.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${snippet.line}.ts`;
      const prelude = snippet.prelude ? `${snippet.prelude.code}\n` : '';
      const epilogue = snippet.epilogue ? `\n${snippet.epilogue.code}` : '';
      writeFileSync(join(project, 'snippets', name), `${prelude}${snippet.code}${epilogue}\nexport {};\n`);
      sources.set(name, { ...snippet, preludeLines: prelude ? prelude.split('\n').length - 1 : 0, codeLines: snippet.code.split('\n').length });
    }

    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: project,
      encoding: 'utf8',
    });
    const output = `${tsc.stdout}${tsc.stderr}`;
    const errors = [];
    const other = [];
    for (const line of output.split('\n')) {
      if (!line.trim()) continue;
      const match = /^snippets[\\/]([^()]+)\((\d+),(\d+)\): (.*)$/.exec(line);
      const source = match && sources.get(match[1]);
      if (!source) {
        // A continuation line of the previous message, or an error outside the snippets.
        if (errors.length && /^\s/.test(line)) errors[errors.length - 1] += `\n${line}`;
        else other.push(line);
        continue;
      }
      const at = Number(match[2]);
      let where;
      if (at <= source.preludeLines) where = `${source.file}:${source.prelude.line} (its prelude, line ${at})`;
      else if (at > source.preludeLines + source.codeLines) where = `${source.file}:${source.epilogue?.line ?? source.endLine} (its epilogue)`;
      else where = `${source.file}:${source.line + at - source.preludeLines - 1}:${match[3]}`;
      errors.push(`${where}: ${match[4]}`);
    }

    const withPrelude = checked.filter((snippet) => snippet.prelude || snippet.epilogue).length;
    const byFile = new Map();
    for (const snippet of checked) byFile.set(snippet.file, (byFile.get(snippet.file) ?? 0) + 1);
    console.log(
      `Snippets: ${checked.length} checked in ${byFile.size} files (${withPrelude} with a hidden prelude or epilogue), ${skipped.length} skipped, against ${relative(process.cwd(), join(root, 'dist')) || 'dist'}/.`,
    );
    for (const [file, count] of byFile) console.log(`  ${file}: ${count}`);
    for (const snippet of skipped) console.log(`  skipped ${snippet.file}:${snippet.line}: ${snippet.skip.reason}`);
    if (tsc.status !== 0 || errors.length || other.length) {
      console.error(`\n${errors.length} type error(s) in the documentation's snippets:`);
      for (const error of errors) console.error(`  ${error}`);
      for (const line of other) console.error(`  ${line}`);
      if (keep) console.error(`\nThe consumer project is kept at ${project}`);
      process.exitCode = 1;
    } else console.log('All snippets type-check.');
  } finally {
    if (!keep) rmSync(project, { recursive: true, force: true });
    else console.log(`Kept ${project}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || fileURLToPath(import.meta.url) === resolve(process.argv[1] ?? '')) main();
