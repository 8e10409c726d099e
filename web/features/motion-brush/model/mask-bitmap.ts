import { forEachCapsuleRow, unionRect } from './raster.ts';
import type { Pt, Rect } from './types.ts';

/** Tile edge for undo patches and emptiness tracking. */
export const TILE = 256;

/**
 * One mask's pixels at the start frame's native resolution: one byte per pixel, 0 or 255. This is the
 * authoritative data; the on-screen canvas is a mirror updated from `dirty` rectangles, so painting
 * never reads pixels back from the GPU.
 */
export class MaskBitmap {
  readonly data: Uint8Array;
  readonly tilesX: number;
  readonly tilesY: number;
  /** 1 where a tile holds at least one set pixel; kept exact by refreshTiles. */
  private readonly tileSet: Uint8Array;
  private setTiles = 0;
  /** Pixels changed since the display mirror last synced. */
  dirty: Rect | null = null;
  /** Bumps on every change (persistence caches its PNG per version). */
  version = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    this.data = data ?? new Uint8Array(width * height);
    this.tilesX = Math.ceil(width / TILE);
    this.tilesY = Math.ceil(height / TILE);
    this.tileSet = new Uint8Array(this.tilesX * this.tilesY);
    // A new bitmap always gets a new display mirror, which copies its painted tiles; nothing is dirty yet.
    if (data) this.refreshTiles(this.allTiles());
  }

  get empty(): boolean {
    return this.setTiles === 0;
  }

  at(x: number, y: number): number {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return 0;
    return this.data[yi * this.width + xi]!;
  }

  /** Whether any set pixel lies within `radius` pixels (square neighbourhood) of p. */
  near(p: Pt, radius: number): boolean {
    const r = Math.ceil(radius);
    for (let y = Math.floor(p.y) - r; y <= Math.floor(p.y) + r; y++)
      for (let x = Math.floor(p.x) - r; x <= Math.floor(p.x) + r; x++) if (this.at(x, y)) return true;
    return false;
  }

  markDirty(r: Rect): void {
    this.dirty = unionRect(this.dirty, r);
    this.version++;
  }

  /** Paints (255) or erases (0) a round-capped segment of the given diameter. Returns the touched rect. */
  stroke(a: Pt, b: Pt, diameter: number, value: 0 | 255): Rect | null {
    const { data, width } = this;
    const rect = forEachCapsuleRow(a, b, Math.max(0.5, diameter / 2), width, this.height, (y, x0, x1) => {
      data.fill(value, y * width + x0, y * width + x1);
    });
    if (rect) this.markDirty(rect);
    return rect;
  }

  clear(): void {
    this.data.fill(0);
    this.tileSet.fill(0);
    this.setTiles = 0;
    this.markDirty({ x: 0, y: 0, width: this.width, height: this.height });
  }

  tileRect(index: number): Rect {
    const tx = index % this.tilesX;
    const ty = Math.floor(index / this.tilesX);
    const x = tx * TILE;
    const y = ty * TILE;
    return { x, y, width: Math.min(TILE, this.width - x), height: Math.min(TILE, this.height - y) };
  }

  /** Indices of the tiles a rect overlaps. */
  tilesIn(r: Rect): number[] {
    const out: number[] = [];
    const tx0 = Math.floor(r.x / TILE);
    const ty0 = Math.floor(r.y / TILE);
    const tx1 = Math.min(this.tilesX - 1, Math.floor((r.x + r.width - 1) / TILE));
    const ty1 = Math.min(this.tilesY - 1, Math.floor((r.y + r.height - 1) / TILE));
    for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) out.push(ty * this.tilesX + tx);
    return out;
  }

  allTiles(): number[] {
    return Array.from({ length: this.tilesX * this.tilesY }, (_, i) => i);
  }

  /** Tiles holding at least one set pixel. */
  setTileIndices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.tileSet.length; i++) if (this.tileSet[i]) out.push(i);
    return out;
  }

  readRect(r: Rect): Uint8Array {
    const out = new Uint8Array(r.width * r.height);
    for (let y = 0; y < r.height; y++) {
      const start = (r.y + y) * this.width + r.x;
      out.set(this.data.subarray(start, start + r.width), y * r.width);
    }
    return out;
  }

  writeRect(r: Rect, src: Uint8Array): void {
    for (let y = 0; y < r.height; y++)
      this.data.set(src.subarray(y * r.width, (y + 1) * r.width), (r.y + y) * this.width + r.x);
    this.markDirty(r);
  }

  /** Recomputes the set/empty flag of the given tiles (after a stroke, an undo or a load). */
  refreshTiles(indices: Iterable<number>): void {
    for (const i of indices) {
      const r = this.tileRect(i);
      let any = 0;
      for (let y = 0; y < r.height && !any; y++) {
        const start = (r.y + y) * this.width + r.x;
        const row = this.data.subarray(start, start + r.width);
        for (let x = 0; x < row.length; x++)
          if (row[x]) {
            any = 1;
            break;
          }
      }
      if (any !== this.tileSet[i]) {
        this.setTiles += any ? 1 : -1;
        this.tileSet[i] = any;
      }
    }
  }

  /** A nearest-neighbour copy at another size (a new start frame of a different resolution). */
  resized(width: number, height: number): MaskBitmap {
    if (width === this.width && height === this.height)
      return new MaskBitmap(width, height, this.data.slice());
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const sy = Math.min(this.height - 1, Math.floor(((y + 0.5) * this.height) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(this.width - 1, Math.floor(((x + 0.5) * this.width) / width));
        out[y * width + x] = this.data[sy * this.width + sx]!;
      }
    }
    return new MaskBitmap(width, height, out);
  }
}
