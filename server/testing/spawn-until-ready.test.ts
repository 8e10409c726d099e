import { describe, expect, it } from 'vitest';
import { spawnUntilReady } from './spawn-until-ready.ts';
import { freePort } from './studio-harness.ts';

const node = (script: string) => [process.execPath, ['-e', script]] as const;
const base = { cwd: process.cwd(), env: process.env, name: 'child' };

describe('spawnUntilReady', () => {
  it('waits for the line on stdout and hands back what it matched', async () => {
    const [cmd, args] = node(
      "setTimeout(() => console.log('listening at http://127.0.0.1:4321'), 150); setInterval(() => {}, 1000)",
    );
    const started = Date.now();
    const running = await spawnUntilReady(cmd, [...args], { ...base, ready: { output: /at (http:\S+)/ } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(running.match?.[1]).toBe('http://127.0.0.1:4321');
    expect(await running.kill('SIGKILL')).toBe(null);
    // Killing an exited child answers at once instead of waiting for an exit that already happened.
    await running.kill();
  });

  it('polls a health URL until it answers 2xx', async () => {
    const port = await freePort();
    const [cmd, args] = node(
      `setTimeout(() => require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1'), 300)`,
    );
    const started = Date.now();
    const running = await spawnUntilReady(cmd, [...args], {
      ...base,
      ready: { health: `http://127.0.0.1:${port}/`, intervalMs: 20 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await fetch(`http://127.0.0.1:${port}/`)).ok).toBe(true);
    await running.kill();
  });

  it('fails with the output when the child exits before it is ready', async () => {
    const [cmd, args] = node("console.error('no config'); process.exit(3)");
    await expect(spawnUntilReady(cmd, [...args], { ...base, ready: { output: /never/ } })).rejects.toThrow(
      /child exited with 3:\nno config/,
    );
  });

  it('gives up after the timeout and kills the child', async () => {
    const [cmd, args] = node('console.log(process.pid); setInterval(() => {}, 1000)');
    const err = await spawnUntilReady(cmd, [...args], {
      ...base,
      ready: { output: /never/ },
      timeoutMs: 300,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const [, pid] = /ms:\n(\d+)/.exec((err as Error).message) ?? [];
    expect((err as Error).message).toMatch(/child did not start within 300 ms/);
    expect(() => process.kill(Number(pid), 0)).toThrow();
  });
});
