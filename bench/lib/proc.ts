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

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** CPU time of a process and all its descendants (e.g. a PostgreSQL postmaster and its backends), in ms. */
export function treeCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
      .filter(Boolean);
  } catch {
    // pgrep exits 1 when there is no child.
  }
  let total = 0;
  try {
    total = cpuMs(pid);
  } catch {
    return 0;
  }
  for (const c of children) total += treeCpuMs(c);
  return total;
}

/** Busy CPU time of the whole machine (all cores: everything but idle and iowait) so far, in ms. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const all = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((all - idle) * 1000) / CLOCK_TICKS;
}
