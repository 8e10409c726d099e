import { describe, expect, it } from 'vitest';
import { MaskBitmap, TILE } from './mask-bitmap.ts';
import { applyPatch, PatchRecorder } from './patch.ts';
import { rleDecode, rleEncode } from './rle.ts';

/** Byte equality without a deep-equal diff of a million-element array. */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

describe('MaskBitmap', () => {
  it('tracks emptiness per tile through paint and erase', () => {
    const b = new MaskBitmap(600, 300);
    expect(b.empty).toBe(true);
    b.stroke({ x: 10, y: 10 }, { x: 560, y: 10 }, 8, 255);
    b.refreshTiles(b.allTiles());
    expect(b.empty).toBe(false);
    // x from 6 to 564 spans tiles 0, 1 and 2 of the first row (TILE = 256: 0–255, 256–511, 512–599).
    expect(b.setTileIndices()).toEqual([0, 1, 2]);
    b.stroke({ x: 10, y: 10 }, { x: 560, y: 10 }, 20, 0);
    b.refreshTiles(b.allTiles());
    expect(b.empty).toBe(true);
  });

  it('resizes nearest-neighbour, keeping a painted region where it was (relatively)', () => {
    const b = new MaskBitmap(100, 50);
    b.stroke({ x: 75, y: 12 }, { x: 75, y: 12 }, 10, 255);
    const r = b.resized(200, 100);
    expect(r.at(150, 24)).toBe(255);
    expect(r.at(50, 75)).toBe(0);
    expect(r.empty).toBe(false);
  });

  it('finds paint near a point', () => {
    const b = new MaskBitmap(50, 50);
    b.stroke({ x: 20, y: 20 }, { x: 20, y: 20 }, 4, 255);
    expect(b.near({ x: 23, y: 20 }, 2)).toBe(true);
    expect(b.near({ x: 40, y: 40 }, 3)).toBe(false);
  });
});

describe('tile patches (undo data)', () => {
  it('restores before and after exactly, holding only the touched tiles', () => {
    const b = new MaskBitmap(4 * TILE, 4 * TILE);
    b.stroke({ x: 30, y: 30 }, { x: 30, y: 30 }, 20, 255);
    const base = b.data.slice();
    const rec = new PatchRecorder(b);
    rec.capture(b.tilesIn({ x: 0, y: 0, width: 600, height: 100 }));
    b.stroke({ x: 10, y: 50 }, { x: 590, y: 50 }, 30, 255);
    const patch = rec.finish();
    const after = b.data.slice();
    expect(patch.tiles.map((t) => t.index)).toEqual([0, 1, 2]);
    // A stroke edge is a few runs per row: far below the raw 3 × 64 KB × 2.
    expect(patch.bytes).toBeLessThan(20_000);
    applyPatch(b, patch, 'before');
    expect(same(b.data, base)).toBe(true);
    applyPatch(b, patch, 'after');
    expect(same(b.data, after)).toBe(true);
  });

  it('reverts an unfinished stroke', () => {
    const b = new MaskBitmap(300, 300);
    const rec = new PatchRecorder(b);
    rec.capture(b.allTiles());
    b.stroke({ x: 0, y: 0 }, { x: 299, y: 299 }, 40, 255);
    rec.revert();
    expect(b.empty).toBe(true);
    expect(b.data.every((v) => v === 0)).toBe(true);
  });

  it('run-length codes round trip', () => {
    const src = new Uint8Array(70_000);
    src.fill(255, 100, 69_000);
    src[5] = 7;
    expect(rleDecode(rleEncode(src), new Uint8Array(src.length))).toEqual(src);
  });
});
