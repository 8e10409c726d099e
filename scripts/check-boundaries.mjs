// The folder boundaries Biome cannot state (run by `npm run lint` after `biome check`).
//
// Biome's noRestrictedImports matches an import's *specifier text*, so it expresses rules of the form
// "no specifier naming server/" (biome.json has those: contract/ depends on zod only, web/ ⇄ server/).
// Two rules depend on where the imported file *is*, which a relative specifier only tells together with
// the importing file's own folder ('../tasks/x.ts' is fine inside a feature's sub-folder and a breach at
// its root). This script resolves each relative import to a repo path and checks:
//   - server/simulator/ imports only server/simulator/ and contract/ (it must stay a stand-alone Kling);
//   - a file under web/features/<a>/ never imports web/features/<b>/ (features meet only in web/app/);
//   - no two folders of server/ import each other (production files; the layering reads one way).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** Import specifiers of a source file (static, side-effect, re-export and dynamic imports). */
export function specifiers(source) {
  return [...source.matchAll(IMPORT)].map((m) => m[1]);
}

const featureOf = (path) => /^web\/features\/([^/]+)\//.exec(path)?.[1];

/** Every boundary breach in one file, as `{file, target, rule}`; `file` is relative to the repo root. */
export function violations(file, source) {
  const out = [];
  for (const spec of specifiers(source)) {
    if (!spec.startsWith('.')) continue;
    const target = normalize(join(dirname(file), spec))
      .split('\\')
      .join('/');
    if (file.startsWith('server/simulator/') && !/^(server\/simulator|contract)\//.test(target))
      out.push({ file, target, rule: 'server/simulator/ imports only server/simulator/ and contract/' });
    const from = featureOf(file);
    const to = featureOf(target);
    if (from && to && from !== to)
      out.push({
        file,
        target,
        rule: `web/features/${from}/ must not import web/features/${to}/ (meet in web/app/)`,
      });
  }
  return out;
}

const SOURCE = /\.(ts|tsx|mjs|js)$/;
function* walk(root, dir) {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(root, rel);
    else if (SOURCE.test(e.name)) yield rel;
  }
}

/** `server/<folder>` of a path, or undefined for files at server/'s root and outside server/. */
const serverFolder = (path) => /^server\/([^/]+)\//.exec(path)?.[1];

/**
 * Pairs of server folders that import each other, from a map of file → source (test files left out:
 * a test may reach across to set up what it tests).
 */
export function serverCycles(files) {
  const edges = new Map();
  for (const [file, source] of files) {
    const from = serverFolder(file);
    if (!from || /\.test\.tsx?$/.test(file)) continue;
    for (const spec of specifiers(source)) {
      if (!spec.startsWith('.')) continue;
      const to = serverFolder(
        normalize(join(dirname(file), spec))
          .split('\\')
          .join('/'),
      );
      if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const out = [];
  for (const [a, targets] of edges)
    for (const b of targets)
      if (a < b && edges.get(b)?.has(a))
        out.push({
          file: `server/${a}/`,
          target: `server/${b}/`,
          rule: 'server folders must not import each other',
        });
  return out;
}

/** Checks every file under server/ and web/features/ of the tree at `root`. */
export function checkTree(root) {
  const out = [];
  for (const top of ['server/simulator', 'web/features'])
    for (const file of walk(root, top)) out.push(...violations(file, readFileSync(join(root, file), 'utf8')));
  const server = [...walk(root, 'server')].map((f) => [f, readFileSync(join(root, f), 'utf8')]);
  out.push(...serverCycles(server));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? relative(process.cwd(), new URL('..', import.meta.url).pathname) ?? '.';
  const found = checkTree(root || '.');
  for (const v of found) console.error(`${v.file}: imports ${v.target} — ${v.rule}`);
  console.log(found.length ? `boundaries: ${found.length} breach(es)` : 'boundaries: ok');
  process.exit(found.length ? 1 : 0);
}
