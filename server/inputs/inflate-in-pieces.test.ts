import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type Inflate, inflateWithStreams, pngDataIntact } from '../../contract/images/png-data.ts';
import {
  pngChunk as chunk,
  concatBytes as concat,
  pngIhdr as ihdr,
  PNG_SIGNATURE,
  pngImage,
  pngWithIdat as pngWith,
  randomBytes,
} from '../../contract/testing/test-images.ts';
import { INFLATE_PIECE_BYTES, inflateInPieces } from './inflate-in-pieces.ts';

/** `rows` scanlines of `stride` bytes, filter byte `filter` on each (`at` picks one row to differ). */
function scanlines(
  rows: number,
  stride: number,
  filter = 0,
  at?: { row: number; filter: number },
): Uint8Array {
  const raw = new Uint8Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    raw[r * stride] = at?.row === r ? at.filter : filter;
    for (let i = 1; i < stride; i++) raw[r * stride + i] = (r * 31 + i) & 0xff;
  }
  return raw;
}

/** A PNG whose IDAT stream is split over chunks of `size` bytes, as encoders write it. */
function pngInIdatChunks(header: Uint8Array, deflated: Uint8Array, size: number): Uint8Array {
  const parts = [new Uint8Array(PNG_SIGNATURE), chunk('IHDR', header)];
  for (let i = 0; i < deflated.length; i += size) parts.push(chunk('IDAT', deflated.subarray(i, i + size)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return concat(parts);
}

// 1024×400 RGB: 1.2 MB of rows, more than one piece, so the walk crosses a piece boundary.
const WIDE = { width: 1024, height: 400, stride: 1024 * 3 + 1 };
const wide = (at?: { row: number; filter: number }) =>
  deflateSync(scanlines(WIDE.height, WIDE.stride, 2, at));
// The scanline whose filter byte sits past the first piece: only the second piece can refuse it.
const rowAfterFirstPiece = Math.ceil(INFLATE_PIECE_BYTES / WIDE.stride);

const cases: [what: string, make: () => Promise<Uint8Array> | Uint8Array, whole: boolean][] = [
  ['a real 640×360 RGB PNG', () => pngImage(640, 360), true],
  ['a real noisy PNG', () => pngImage(300, 200, { noise: 7 }), true],
  [
    'an interlaced (Adam7) PNG from sharp',
    () =>
      sharp(Buffer.from(randomBytes(301 * 217 * 4, 3)), { raw: { width: 301, height: 217, channels: 4 } })
        .png({ progressive: true })
        .toBuffer(),
    true,
  ],
  ['rows over more than one piece', () => pngWith(ihdr(WIDE.width, WIDE.height), wide()), true],
  [
    'rows over more than one piece in 8 KB IDAT chunks (joined before inflating)',
    () => pngInIdatChunks(ihdr(WIDE.width, WIDE.height), wide(), 8192),
    true,
  ],
  [
    'IDAT split into 1-byte chunks',
    () => pngInIdatChunks(ihdr(64, 48), deflateSync(scanlines(48, 193)), 1),
    true,
  ],
  [
    'a filter byte that is no filter, past the first piece',
    () => pngWith(ihdr(WIDE.width, WIDE.height), wide({ row: rowAfterFirstPiece, filter: 7 })),
    false,
  ],
  [
    'a filter byte that is no filter on the last row',
    () => pngWith(ihdr(WIDE.width, WIDE.height), wide({ row: WIDE.height - 1, filter: 5 })),
    false,
  ],
  ['garbage IDAT (random bytes, CRCs valid)', () => pngWith(ihdr(640, 480), randomBytes(4096, 9)), false],
  ['one scanline too few', () => pngWith(ihdr(64, 48), deflateSync(scanlines(47, 193))), false],
  [
    'one byte too many',
    () => pngWith(ihdr(64, 48), deflateSync(concat([scanlines(48, 193), new Uint8Array(1)]))),
    false,
  ],
  [
    'a broken zlib checksum',
    () => {
      const z = deflateSync(scanlines(48, 193));
      z[z.length - 1]! ^= 0xff;
      return pngWith(ihdr(64, 48), z);
    },
    false,
  ],
  [
    'a zlib stream cut short',
    () => pngWith(ihdr(64, 48), deflateSync(randomBytes(48 * 193, 4)).subarray(0, 500)),
    false,
  ],
  [
    'a zlib stream cut short across 8 KB IDAT chunks',
    () => pngInIdatChunks(ihdr(WIDE.width, WIDE.height), wide().subarray(0, 3000), 1000),
    false,
  ],
  [
    'interlaced data without the passes',
    () => pngWith(ihdr(19, 13, 8, 2, 1), deflateSync(scanlines(13, 58))),
    false,
  ],
  ['an impossible bit depth', () => pngWith(ihdr(64, 48, 3), deflateSync(scanlines(48, 193))), false],
  ['no IDAT at all', () => concat([new Uint8Array(PNG_SIGNATURE), chunk('IHDR', ihdr(64, 48))]), false],
];

describe('pngDataIntact on inflateInPieces', () => {
  it.each(cases)('%s: the same answer as on DecompressionStream', async (_what, make, whole) => {
    const bytes = await make();
    expect(await pngDataIntact(bytes, inflateInPieces)).toBe(whole);
    expect(await pngDataIntact(bytes, inflateWithStreams)).toBe(whole);
  });

  it('gives the rows in pieces of at most 1 MB, every byte of them', async () => {
    const raw = scanlines(WIDE.height, WIDE.stride);
    const pieces: number[] = [];
    for await (const piece of inflateInPieces([deflateSync(raw)])) pieces.push(piece.length);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(INFLATE_PIECE_BYTES);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(raw.length);
  });

  it('stops inflating a stream that expands on and on after the first piece past the promised size', async () => {
    let pieces = 0;
    const counted: Inflate = async function* (deflated) {
      for await (const piece of inflateInPieces(deflated)) {
        pieces++;
        yield piece;
      }
    };
    // 64×48 promises 9 KB of rows; the stream holds 50 MB.
    const bomb = pngWith(ihdr(64, 48), deflateSync(new Uint8Array(50_000_000)));
    expect(await pngDataIntact(bomb, counted)).toBe(false);
    expect(pieces).toBe(1);
  });
});
