// What takes the room in the .d.ts a user's editor loads (dist/*.d.ts, as `npm run build` leaves
// it: run `npm run build` first): the total per module format, then the JSDoc and declaration
// bytes of each top-level declaration, largest JSDoc first. tests/node/package.test.mjs holds the budget.
//   node scripts/dts-size.mjs [--top N]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values } = parseArgs({ options: { top: { type: 'string', default: '40' } } });
const dist = new URL('../dist/', import.meta.url);
const files = readdirSync(dist).filter((f) => f.endsWith('.d.ts'));
if (files.length === 0) throw new Error('dist/ has no .d.ts: run `npm run build` first.');
const rows = [];
let total = 0;
let jsdoc = 0;
for (const file of files) {
  const text = readFileSync(new URL(file, dist), 'utf8');
  total += Buffer.byteLength(text);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    const full = statement.getFullText();
    // Bytes, as the total and the budget count them (the docs hold a few non-ASCII characters).
    const comments = Buffer.byteLength((full.match(/\/\*[\s\S]*?\*\//g) ?? []).join(''));
    jsdoc += comments;
    const name = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name.getText()).join(', ')
      : (statement.name?.text ?? ts.SyntaxKind[statement.kind]);
    rows.push({ name, comments, declaration: Buffer.byteLength(full) - comments });
  }
}
console.log(
  `.d.ts per module format: ${(total / 1024).toFixed(1)} KB (JSDoc ${(jsdoc / 1024).toFixed(1)} KB, declarations ${((total - jsdoc) / 1024).toFixed(1)} KB)`,
);
rows.sort((a, b) => b.comments - a.comments);
for (const row of rows.slice(0, Number(values.top))) console.log(`${String(row.comments).padStart(6)} ${String(row.declaration).padStart(6)}  ${row.name}`);
