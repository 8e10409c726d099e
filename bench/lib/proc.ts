import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The server process under `scripts/start.mjs` (its only node child). */
export function serverPid(startPid: number): number {
  const out = execFileSync('pgrep', ['-P', String(startPid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const pid = Number(out[0]);
  if (!pid) throw new Error(`no child process under ${startPid}`);
  return pid;
}

/** Resident set size in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}
