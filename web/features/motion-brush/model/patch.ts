import type { MaskBitmap } from './mask-bitmap.ts';
import { rleDecode, rleEncode } from './rle.ts';

/** One tile's pixels before and after a change, run-length coded. */
interface TileChange {
  index: number;
  before: Uint8Array;
  after: Uint8Array;
}

/** The pixels a stroke, clear or load changed, tile by tile: what undo and redo write back. */
export interface MaskPatch {
  tiles: TileChange[];
  /** Bytes held, for the history's memory budget. */
  bytes: number;
}

/**
 * Records the tiles a change touches, copying each tile the first time the change reaches it, so a
 * stroke costs memory in proportion to the area it covers, never the whole frame.
 */
export class PatchRecorder {
  private readonly before = new Map<number, Uint8Array>();

  constructor(private readonly bitmap: MaskBitmap) {}

  /** Call before writing to `indices`' pixels. */
  capture(indices: Iterable<number>): void {
    for (const i of indices)
      if (!this.before.has(i)) this.before.set(i, this.bitmap.readRect(this.bitmap.tileRect(i)));
  }

  get touched(): number[] {
    return [...this.before.keys()];
  }

  /** Ends the change: the patch of tiles that really changed (empty when nothing did). */
  finish(): MaskPatch {
    const tiles: TileChange[] = [];
    let bytes = 0;
    for (const [index, raw] of this.before) {
      const now = this.bitmap.readRect(this.bitmap.tileRect(index));
      if (sameBytes(raw, now)) continue;
      const change = { index, before: rleEncode(raw), after: rleEncode(now) };
      bytes += change.before.length + change.after.length;
      tiles.push(change);
    }
    this.bitmap.refreshTiles(this.before.keys());
    return { tiles, bytes };
  }

  /** Puts every captured tile back (a cancelled stroke). */
  revert(): void {
    for (const [index, raw] of this.before) this.bitmap.writeRect(this.bitmap.tileRect(index), raw);
    this.bitmap.refreshTiles(this.before.keys());
    this.before.clear();
  }
}

export function applyPatch(bitmap: MaskBitmap, patch: MaskPatch, side: 'before' | 'after'): void {
  for (const t of patch.tiles) {
    const r = bitmap.tileRect(t.index);
    bitmap.writeRect(r, rleDecode(t[side], new Uint8Array(r.width * r.height)));
  }
  bitmap.refreshTiles(patch.tiles.map((t) => t.index));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
