// The .d.ts a user's editor loads, measured without touching dist/: builds the two public entries'
// declarations into a temporary folder and prints the total per module format, then the JSDoc and
// declaration bytes of each top-level declaration (largest JSDoc first).
//   node scripts/dts-size.mjs [--top N]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { build } from 'tsup';

const { values } = parseArgs({ options: { top: { type: 'string', default: '40' } } });
const outDir = mkdtempSync(join(tmpdir(), 'dts-size-'));
try {
  await build({
    entry: { index: 'src/index.ts', matchers: 'src/matchers/entry.ts' },
    format: ['esm'],
    dts: { only: true, compilerOptions: { stripInternal: true } },
    outDir,
    silent: true,
    external: ['@playwright/test', 'expect'],
    config: false,
  });
  const files = readdirSync(outDir).filter((f) => f.endsWith('.d.ts'));
  const rows = [];
  let total = 0;
  let jsdoc = 0;
  for (const file of files) {
    const text = readFileSync(join(outDir, file), 'utf8');
    total += Buffer.byteLength(text);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const full = statement.getFullText();
      const comments = (full.match(/\/\*[\s\S]*?\*\//g) ?? []).join('').length;
      jsdoc += comments;
      const name = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.map((d) => d.name.getText()).join(', ')
        : (statement.name?.text ?? ts.SyntaxKind[statement.kind]);
      rows.push({ name, comments, declaration: full.length - comments });
    }
  }
  console.log(
    `.d.ts per module format: ${(total / 1024).toFixed(1)} KB (JSDoc ${(jsdoc / 1024).toFixed(1)} KB, declarations ${((total - jsdoc) / 1024).toFixed(1)} KB)`,
  );
  rows.sort((a, b) => b.comments - a.comments);
  for (const row of rows.slice(0, Number(values.top))) console.log(`${String(row.comments).padStart(6)} ${String(row.declaration).padStart(6)}  ${row.name}`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
