import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../lib/studio-error.ts';
import { BodyGate, BodySink } from './read-json-body.ts';

const MB = 1024 * 1024;

describe('BodySink', () => {
  it('holds what arrived, not what was declared: 30 sinks declaring 48 MB with 256 KB each hold ~8 MB', () => {
    const before = process.memoryUsage().arrayBuffers;
    const chunk = randomBytes(64 * 1024);
    const sinks = Array.from({ length: 30 }, () => new BodySink(48 * MB, 48 * MB));
    for (const sink of sinks) for (let i = 0; i < 4; i++) sink.push(chunk);
    const growth = (process.memoryUsage().arrayBuffers - before) / MB;
    // Preallocating the declared length would be 30 × 48 MB = 1440 MB.
    expect(growth).toBeLessThan(64);
    expect(sinks.every((s) => s.heldBytes === 256 * 1024)).toBe(true);
  });

  it('gathers a declared body exactly, chunks before the half-way buffer and after it', () => {
    const body = randomBytes(3 * MB + 123);
    const sink = new BodySink(4 * MB, body.length);
    for (let at = 0; at < body.length; at += 65_536) {
      expect(sink.push(body.subarray(at, Math.min(body.length, at + 65_536)))).toBe(true);
      // Never more than twice what arrived.
      expect(sink.heldBytes).toBeLessThanOrEqual(2 * Math.min(body.length, at + 65_536));
    }
    expect(sink.take().equals(body)).toBe(true);
  });

  it('gathers an undeclared (chunked) body, and stops at the limit', () => {
    const body = randomBytes(200_000);
    const sink = new BodySink(300_000, undefined);
    sink.push(body.subarray(0, 150_000));
    sink.push(body.subarray(150_000));
    expect(sink.take().equals(body)).toBe(true);
    const small = new BodySink(100, undefined);
    expect(small.push(Buffer.alloc(101))).toBe(false);
  });
});

describe('BodyGate', () => {
  it('gives out `max` slots, refuses beyond with 503 busy, and a slot released twice frees one', () => {
    const gate = new BodyGate(2);
    const a = gate.enter();
    gate.enter();
    let refused: unknown;
    try {
      gate.enter();
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(StudioError);
    expect(refused).toMatchObject({ status: 503, code: 'busy' });
    a();
    a();
    gate.enter();
    expect(() => gate.enter()).toThrow(StudioError);
  });
});
