// `npm run bench`: every row measured against a baseline from the same run; prints the table and writes
// bench/results.json (machine, date, commit, raw samples). Rows are independent: one failing to run is
// reported and the others still run. `npm run bench -- bundle render_rt` runs only the rows named.
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { RowResult } from './lib/row.ts';
import { brushRows } from './rows/brush.ts';
import { bundleRow } from './rows/bundle.ts';
import { clusterScaleRows } from './rows/cluster-scale.ts';
import { clusterSseRows } from './rows/cluster-sse.ts';
import { compressRows } from './rows/compress.ts';
import { firstScreenRow } from './rows/first-screen.ts';
import { galleryScrollRow } from './rows/gallery-scroll.ts';
import { historyPageRows } from './rows/history-page.ts';
import { maskCodecRows } from './rows/mask-codec.ts';
import { proxyRows } from './rows/proxy.ts';
import { queueDispatchRows } from './rows/queue-dispatch.ts';
import { queueScaleRows } from './rows/queue-scale.ts';
import { queueWasteRow } from './rows/queue-waste.ts';
import { renderRtRow } from './rows/render-rt.ts';
import { trackerFanInRow } from './rows/tracker-fan-in.ts';
import { transferRenderRow } from './rows/transfer-render.ts';
import { uploadMemoryRow } from './rows/upload-memory.ts';
import { uploadVideoRows } from './rows/upload-video.ts';
import { v3MultiShotRenderRows, v34kRenderRows } from './rows/v3-render.ts';

const ROWS: Record<string, () => Promise<RowResult[]>> = {
  bundle: bundleRow,
  first_screen: firstScreenRow,
  proxy: proxyRows,
  tracker_fan_in: trackerFanInRow,
  upload_memory: uploadMemoryRow,
  upload_video: uploadVideoRows,
  render_rt: renderRtRow,
  transfer_render: transferRenderRow,
  v3_multishot_render: v3MultiShotRenderRows,
  v3_4k_render: v34kRenderRows,
  brush: brushRows,
  mask_codec: maskCodecRows,
  gallery_scroll: galleryScrollRow,
  compress: compressRows,
  queue_dispatch: queueDispatchRows,
  queue_scale: queueScaleRows,
  queue_waste: queueWasteRow,
  history_page: historyPageRows,
  cluster_sse: clusterSseRows,
  cluster_scale: clusterScaleRows,
};

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = Object.keys(ROWS).filter((r) => only.length === 0 || only.includes(r));
const results: RowResult[] = [];
const errors: { row: string; error: string }[] = [];
const started = Date.now();
for (const name of selected) {
  process.stdout.write(`[bench] ${name}…\n`);
  try {
    results.push(...(await ROWS[name]!()));
  } catch (err) {
    errors.push({ row: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    console.error(`[bench] ${name} failed:`, err);
  }
}

function fmt(n: number, unit: string): string {
  if (unit === 'B') return `${(n / 1024).toFixed(1)} KB`;
  if (unit === 'ms') return `${n.toFixed(n < 10 ? 2 : 1)} ms`;
  if (unit === 's') return `${n.toFixed(2)} s`;
  if (unit === 'MB') return `${n.toFixed(1)} MB`;
  return `${Number.isInteger(n) ? n : n.toFixed(2)} ${unit}`;
}

const header = ['row', 'metric', 'value', 'baseline', 'ratio', 'goal', 'result'];
const lines = results.map((r) => [
  r.row,
  r.metric,
  fmt(r.value, r.unit),
  fmt(r.baseline, r.unit),
  `${r.ratio.toFixed(3)}×`,
  r.goal,
  r.pass === null ? 'report' : r.pass ? 'pass' : 'MISS',
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const print = (cells: string[]) =>
  console.log(`| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
console.log('');
print(header);
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const l of lines) print(l);
for (const r of results) console.log(`  ${r.row} / ${r.metric}: ${r.how}`);
for (const e of errors) console.log(`  ${e.row}: DID NOT RUN — ${e.error.split('\n')[0]}`);

let commit = 'unknown';
try {
  commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim();
} catch {}
const out = {
  date: new Date().toISOString(),
  commit,
  seconds: (Date.now() - started) / 1000,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  results,
  errors,
};
writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
// The same table as Markdown, for the README to link (only when every row ran, so it is never partial).
if (only.length === 0) {
  const md = [
    '# Benchmark results',
    '',
    `\`npm run bench\` on ${out.date.slice(0, 10)}, commit \`${commit.slice(0, 10)}\`, ${out.machine.cpus} × ${out.machine.cpuModel ?? 'CPU'}, ${out.machine.node}. Every ratio is against a baseline measured in the same run; raw samples are in \`results.json\`.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
    '',
    '## How each row is measured',
    '',
    ...results.map((r) => `- **${r.row}**, ${r.metric}: ${r.how}`),
    ...errors.map((e) => `- **${e.row}** did not run: ${e.error.split('\n')[0]}`),
    '',
  ].join('\n');
  writeFileSync(join(import.meta.dirname, 'RESULTS.md'), md);
}
console.log(`\nwrote bench/results.json (${out.seconds.toFixed(0)} s)`);
process.exit(errors.length ? 1 : 0);
