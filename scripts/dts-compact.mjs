// After tsup (`npm run build`): rewrites dist/*.d.ts and *.d.cts without changing what they
// declare, for the .d.ts budget (tests/node/package.test.mjs). rollup-plugin-dts writes the `Types`
// namespace as one alias per member (`type types_X = X;` and `types_X as X`): its members are
// re-exported by name instead, which TypeScript resolves to the same declarations. The rest is
// layout: a tab per level instead of 4 spaces, a hover doc of a sentence and an example on two
// lines, object types of plain members on one line, no blank lines, no `type` in export lists.
// The .d.ts files have no source maps to keep in step.
//   node scripts/dts-compact.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);

/** The text with the rollup-plugin-dts aliases of `namespace` folded into its export list. */
function foldNamespace(text, file) {
  const block = /^declare namespace (\w+) \{\n {2}export \{ ([^}]*) \};\n\}$/m.exec(text);
  if (!block) return text;
  const [whole, namespace, list] = block;
  const prefix = `${namespace}_`;
  // `type types_X<T> = Y<T>;` (every member), `declare const types_X: typeof Y;` (classes).
  const alias = new RegExp(`^(?:type ${prefix}(\\w+)(?:<.*>)? = (\\w+)(?:<[\\w, ]*>)?;|declare const ${prefix}(\\w+): typeof (\\w+);)\\n`, 'gm');
  const targets = new Map();
  const body = text.replace(alias, (_, typeName, typeTarget, constName, constTarget) => {
    const name = typeName ?? constName;
    const target = typeTarget ?? constTarget;
    if (targets.has(name) && targets.get(name) !== target) throw new Error(`${file}: ${prefix}${name} aliases both ${targets.get(name)} and ${target}.`);
    targets.set(name, target);
    return '';
  });
  const members = list.split(', ').map((specifier) => {
    const match = new RegExp(`^(?:type )?${prefix}(\\w+) as (\\w+)$`).exec(specifier);
    const target = match && match[1] === match[2] ? targets.get(match[1]) : undefined;
    if (!target) throw new Error(`${file}: namespace ${namespace} has a member this script does not know: \`${specifier}\`. Update scripts/dts-compact.mjs.`);
    return target === match[2] ? target : `${target} as ${match[2]}`;
  });
  const folded = body.replace(whole, `declare namespace ${namespace} {\n\texport { ${members.join(', ')} };\n}`);
  if (folded.includes(prefix)) throw new Error(`${file}: an alias of namespace ${namespace} is left (\`${prefix}…\`). Update scripts/dts-compact.mjs.`);
  return folded;
}

/** A tab per level instead of 4 spaces (JSDoc's ` * ` keeps its one space). */
function reindent(text) {
  return text.replace(/^( {4})+/gm, (spaces) => '\t'.repeat(spaces.length / 4));
}

/** A hover doc of a sentence and a one-line example on two lines instead of five. */
function foldDocs(text) {
  return text.replace(/\/\*\*\n(\t*) \* ([^\n]*)\n\1 \* @example\n\1 \* ([^\n]*)\n\1 \*\//g, '/** $2\n$1 * @example $3 */');
}

/** `export { type A, B }` as `export { A, B }`: A names only a type either way. */
function untypeExports(text) {
  return text.replace(/^export \{ ([^}]*) \};$/gm, (_, list) => `export { ${list.replace(/\btype /g, '')} };`);
}

/** An object type of plain members (`{ a: 'text'; b?: number }`) on one line, and no blank lines. */
function foldObjects(text) {
  return text
    .replace(
      /([:=|&(,<] )\{\n((?:\t+[^\n{}/]*;\n)+)\t*\}/g,
      (_, before, members) =>
        `${before}{ ${members
          .trim()
          .split(/;\n\t*/)
          .join('; ')
          .replace(/;$/, '')} }`,
    )
    .replace(/\n{2,}/g, '\n');
}

const files = readdirSync(dist).filter((file) => file.endsWith('.d.ts') || file.endsWith('.d.cts'));
if (files.length === 0) throw new Error('dist/ has no .d.ts: run tsup first (`npm run build` runs both).');
for (const file of files) {
  const url = new URL(file, dist);
  writeFileSync(url, untypeExports(foldObjects(foldDocs(reindent(foldNamespace(readFileSync(url, 'utf8'), file))))));
}
