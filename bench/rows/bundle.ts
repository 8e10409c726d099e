import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type RowResult, ratioRow } from '../lib/row.ts';

const root = new URL('../..', import.meta.url).pathname;
const BUDGET = 250 * 1024;

/** gzip bytes of the JS the first screen loads: index.html's module script and its modulepreloads. */
export async function bundleRow(): Promise<RowResult[]> {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('vite build failed');
  const html = readFileSync(join(root, 'dist/index.html'), 'utf8');
  const srcs = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const files = srcs.map((src) => ({
    src,
    gz: gzipSync(readFileSync(join(root, 'dist', src)), { level: 9 }).length,
  }));
  const total = files.reduce((a, f) => a + f.gz, 0);
  return [
    ratioRow({
      row: 'bundle',
      metric: 'gzip bytes of first-screen JS',
      value: total,
      baseline: BUDGET,
      unit: 'B',
      goal: { max: 1.0 },
      how: 'vite build, then gzip -9 of the entry script and its modulepreloads named in dist/index.html',
      samples: files,
    }),
  ];
}
