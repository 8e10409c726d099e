import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTree, serverCycles, violations } from './check-boundaries.mjs';

const root = new URL('..', import.meta.url).pathname;
const biome = join(root, 'node_modules/.bin/biome');

/**
 * Lints one fixture file placed at `path` inside the repo (Biome's per-folder overrides match by path),
 * then removes it. Returns Biome's exit status and what it printed.
 */
function lintFixture(path: string, source: string): { status: number | null; out: string } {
  const unique = path.replace(/\.tsx?$/, (ext) => `.boundary-fixture-${process.pid}${ext}`);
  const file = join(root, unique);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  try {
    const r = spawnSync(biome, ['lint', '--max-diagnostics=50', unique], { cwd: root, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('biome boundary rules (noRestrictedImports per folder)', () => {
  it.each([
    [
      'contract/rules/x.ts',
      "import { readFile } from 'node:fs/promises';\nexport const a = readFile;\n",
      'no Node built-ins',
    ],
    [
      'contract/rules/x.ts',
      "import { useState } from 'react';\nexport const a = useState;\n",
      'depends on zod only',
    ],
    [
      'contract/x.ts',
      "import { useQuery } from '@tanstack/react-query';\nexport const a = useQuery;\n",
      'depends on zod only',
    ],
    [
      'contract/rules/x.ts',
      "import { a } from '../../server/lib/clock.ts';\nexport const b = a;\n",
      'imports nothing outside contract/',
    ],
    [
      'contract/schemas/x.ts',
      "import { a } from '../../web/api/client.ts';\nexport const b = a;\n",
      'imports nothing outside contract/',
    ],
    [
      'web/api/x.ts',
      "import { a } from '../../server/lib/clock.ts';\nexport const b = a;\n",
      'never imports server/',
    ],
    [
      'web/features/tasks/x.test.ts',
      "import { a } from '../../../server/lib/clock.ts';\nexport const b = a;\n",
      'never imports server/',
    ],
    [
      'web/api/x.ts',
      "import { readFile } from 'node:fs';\nexport const a = readFile;\n",
      'runs in the browser',
    ],
    [
      'server/routes/x.ts',
      "import { a } from '../../web/api/client.ts';\nexport const b = a;\n",
      'never imports web/',
    ],
  ])('%s: %s is refused', (path, source, words) => {
    const r = lintFixture(path, source);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('noRestrictedImports');
    expect(r.out).toContain(words);
  });

  it.each([
    [
      'contract/rules/x.ts',
      "import { z } from 'zod';\nimport { LIMITS } from '../limits.ts';\nexport const a = [z, LIMITS];\n",
    ],
    ['contract/testing/x.ts', "import { encode } from 'fast-png';\nexport const a = encode;\n"],
    [
      'web/api/x.ts',
      "import { z } from 'zod';\nimport { LIMITS } from '../../contract/limits.ts';\nexport const a = [z, LIMITS];\n",
    ],
    [
      'server/lib/x.ts',
      "import { readFile } from 'node:fs';\nimport { LIMITS } from '../../contract/limits.ts';\nexport const a = [readFile, LIMITS];\n",
    ],
  ])('%s: allowed imports pass', (path, source) => {
    const r = lintFixture(path, source);
    expect(r.out).not.toContain('noRestrictedImports');
    expect(r.status).toBe(0);
  });
});

describe('check-boundaries (rules that depend on where the imported file is)', () => {
  it.each([
    [
      'server/simulator/routes.ts',
      "import { x } from '../tasks/task-store.ts';",
      'server/simulator/ imports only',
    ],
    [
      'server/simulator/render/a.ts',
      "import { x } from '../../lib/clock.ts';",
      'server/simulator/ imports only',
    ],
    ['server/simulator/a.ts', "export { x } from '../wire.ts';", 'server/simulator/ imports only'],
    [
      'server/simulator/a.ts',
      "const m = await import('../config/config.ts');",
      'server/simulator/ imports only',
    ],
    [
      'web/features/tasks/remix.ts',
      "import { x } from '../motion-brush/index.ts';",
      'must not import web/features/motion-brush/',
    ],
    [
      'web/features/motion-brush/model/a.ts',
      "import { x } from '../../camera/camera-motion.ts';",
      'must not import web/features/camera/',
    ],
    [
      'web/features/frames/a.test.ts',
      "import '../samples/scenes.ts';",
      'must not import web/features/samples/',
    ],
  ])('%s: %s is a breach', (file, source, rule) => {
    const found = violations(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]?.rule).toContain(rule);
  });

  it.each([
    [
      'server/simulator/render/a.ts',
      "import { x } from '../routes.ts';\nimport { y } from '../../../contract/limits.ts';",
    ],
    ['server/simulator/a.ts', "import { readFile } from 'node:fs';\nimport { z } from 'zod';"],
    [
      'web/features/motion-brush/model/a.ts',
      "import { x } from '../state/store.ts';\nimport { y } from '../../../editor/ids.ts';",
    ],
    [
      'web/app/studio.tsx',
      "import { a } from '../features/tasks/index.ts';\nimport { b } from '../features/camera/camera-panel.tsx';",
    ],
  ])('%s: allowed imports pass', (file, source) => {
    expect(violations(file, source)).toEqual([]);
  });

  it('two server folders importing each other are a breach; one direction, test files and the root are not', () => {
    const cycle = serverCycles([
      ['server/tasks/store.ts', "import { t } from '../tracker/tracker.ts';"],
      ['server/tracker/tracker.ts', "import { s } from '../tasks/store.ts';"],
    ]);
    expect(cycle).toEqual([
      { file: 'server/tasks/', target: 'server/tracker/', rule: 'server folders must not import each other' },
    ]);
    expect(
      serverCycles([
        ['server/create/create-task.ts', "import { t } from '../tracker/tracker.ts';"],
        ['server/tracker/tracker.ts', "import { s } from '../tasks/store.ts';"],
        ['server/tasks/store.test.ts', "import { c } from '../create/create-task.ts';"],
        ['server/routes/app-deps.ts', "import type { X } from '../wire.ts';"],
        ['server/wire.ts', "import type { AppDeps } from './routes/app-deps.ts';"],
      ]),
    ).toEqual([]);
  });

  it('the command fails on a tree with a breach and names it', () => {
    const tree = mkdtempSync(join(tmpdir(), 'boundaries-'));
    try {
      mkdirSync(join(tree, 'web/features/a'), { recursive: true });
      mkdirSync(join(tree, 'web/features/b'), { recursive: true });
      mkdirSync(join(tree, 'server/simulator'), { recursive: true });
      writeFileSync(join(tree, 'web/features/a/x.ts'), "import { y } from '../b/y.ts';\n");
      writeFileSync(join(tree, 'web/features/b/y.ts'), 'export const y = 1;\n');
      writeFileSync(join(tree, 'server/simulator/s.ts'), "import '../../contract/limits.ts';\n");
      expect(checkTree(tree)).toHaveLength(1);
      const r = spawnSync(process.execPath, [join(root, 'scripts/check-boundaries.mjs'), tree], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('web/features/a/x.ts: imports web/features/b/y.ts');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
