// `npm test`: typecheck, lint, unit tests (Vitest) and the Playwright suite in Chromium.
// Every step runs even when an earlier one fails, so one run shows everything; the last line is the
// totals of all suites ("N passed, N failed, N skipped"), and the exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const bin = (name) => join(root, 'node_modules/.bin', name);
function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
/** Failed tests by name, printed next to the totals: a CI log is often read from its end. */
const failedNames = [];
const rows = [];
function record(name, passed, failed, skipped) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  rows.push(`${name}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

// Static checks count as one test each: they pass or fail as a whole.
const typecheckOk = step('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
record('typecheck', typecheckOk ? 1 : 0, typecheckOk ? 0 : 1, 0);
// Biome, then the folder boundaries it cannot state by specifier (scripts/check-boundaries.mjs): both are `npm run lint`.
const biomeOk = step('lint (biome)', bin('biome'), ['check', '.']);
const boundariesOk = step('lint (boundaries)', process.execPath, [
  join(root, 'scripts/check-boundaries.mjs'),
]);
const lintOk = biomeOk && boundariesOk;
record('lint', lintOk ? 1 : 0, lintOk ? 0 : 1, 0);

const vitestJson = join(out, 'vitest.json');
const unitOk = step('unit tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A suite that fails to load has no tests to count; count it as a failure so it cannot hide.
  const brokenFiles = (v.testResults ?? []).filter(
    (f) => f.status === 'failed' && !f.assertionResults?.length,
  ).length;
  record('vitest', v.numPassedTests ?? 0, (v.numFailedTests ?? 0) + brokenFiles, skipped);
  for (const f of v.testResults ?? []) {
    for (const a of f.assertionResults ?? []) {
      if (a.status === 'failed')
        failedNames.push(`vitest failed: ${f.name.replace(root, '')} > ${a.fullName}`);
      // Passed on its retry: the first attempt's error is still on it.
      else if (a.status === 'passed' && a.failureMessages?.length)
        failedNames.push(`vitest flaky: ${f.name.replace(root, '')} > ${a.fullName}`);
    }
    if (f.status === 'failed' && !f.assertionResults?.length)
      failedNames.push(`vitest could not load: ${f.name.replace(root, '')}`);
  }
} else record('vitest', 0, 1, 0);
if (!unitOk && totals.failed === 0) record('vitest (runner error)', 0, 1, 0);

const pwJson = join(out, 'playwright.json');
const chromiumOk = step('browser (find or install Chromium)', process.execPath, [
  join(root, 'scripts/ensure-chromium.mjs'),
]);
let e2eOk = false;
if (chromiumOk) {
  e2eOk = step(
    'end-to-end (playwright, chromium)',
    bin('playwright'),
    ['test', '-c', 'e2e', '--reporter=list,json'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
    },
  );
}
if (existsSync(pwJson)) {
  const p = JSON.parse(readFileSync(pwJson, 'utf8'));
  const s = p.stats ?? {};
  // A flaky test passed on retry: it counts as passed, and the list reporter shows it as flaky.
  record('playwright', (s.expected ?? 0) + (s.flaky ?? 0), s.unexpected ?? 0, s.skipped ?? 0);
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected' || t.status === 'flaky')
          failedNames.push(`playwright ${t.status}: ${[...path, spec.title].filter(Boolean).join(' > ')}`);
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const suite of p.suites ?? []) walk(suite, [suite.title]);
  if (!e2eOk && (s.unexpected ?? 0) === 0) record('playwright (runner error)', 0, 1, 0);
} else record('playwright (did not run)', 0, 1, 0);

console.log('\n=== totals ===');
for (const n of failedNames) console.log(n);
for (const r of rows) console.log(r);
const allOk = typecheckOk && lintOk && unitOk && chromiumOk && e2eOk && totals.failed === 0;
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(allOk ? 0 : 1);
