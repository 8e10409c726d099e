import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
// Hand-made chunks get valid CRCs from the shared test images, so only their data can be wrong.
import {
  pngChunk as chunk,
  concatBytes as concat,
  pngIhdr as ihdr,
  PNG_SIGNATURE,
  pngWithIdat as pngWith,
} from '../testing/test-images.ts';
import { pngDataIntact, pngScanlines } from './png-data.ts';

const SIGNATURE = new Uint8Array(PNG_SIGNATURE);
async function zlib(raw: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([raw as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
/** `rows` scanlines of `stride` bytes, filter byte `filter` on each. */
const scanlines = (rows: number, stride: number, filter = 0) => {
  const raw = new Uint8Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    raw[r * stride] = filter;
    for (let i = 1; i < stride; i++) raw[r * stride + i] = (r * 31 + i) & 0xff;
  }
  return raw;
};
let seed = 99;
const random = (n: number) =>
  Uint8Array.from({ length: n }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed & 0xff;
  });

describe('pngScanlines', () => {
  it.each([
    ['640×480 RGB 8-bit', ihdr(640, 480), [{ rows: 480, stride: 1921 }]],
    ['3×2 grey 1-bit', ihdr(3, 2, 1, 0), [{ rows: 2, stride: 2 }]],
    ['5×1 RGBA 16-bit', ihdr(5, 1, 16, 6), [{ rows: 1, stride: 41 }]],
    // Adam7 on 3×3: passes 1, 4 (col 2), 5 (row 2), 6 (col 1), 7 (row 1); 2 and 3 are empty.
    [
      '3×3 RGB interlaced',
      ihdr(3, 3, 8, 2, 1),
      [
        { rows: 1, stride: 4 },
        { rows: 1, stride: 4 },
        { rows: 1, stride: 7 },
        { rows: 2, stride: 4 },
        { rows: 1, stride: 10 },
      ],
    ],
  ])('%s', (_what, header, expected) => {
    expect(pngScanlines(header)).toEqual(expected);
  });

  it.each([
    ['RGB at 4 bits', ihdr(10, 10, 4, 2)],
    ['colour type 5', ihdr(10, 10, 8, 5)],
    ['interlace method 2', ihdr(10, 10, 8, 2, 2)],
    ['zero width', ihdr(0, 10)],
  ])('refuses an IHDR with %s', (_what, header) => {
    expect(pngScanlines(header)).toBeUndefined();
  });
});

describe('pngDataIntact', () => {
  it.each([
    ['RGB 8-bit', { width: 320, height: 200, channels: 3, depth: 8 }],
    ['RGBA 8-bit', { width: 301, height: 117, channels: 4, depth: 8 }],
    ['grey 16-bit', { width: 99, height: 40, channels: 1, depth: 16 }],
    ['grey + alpha 8-bit', { width: 7, height: 300, channels: 2, depth: 8 }],
    ['grey 1-bit', { width: 333, height: 9, channels: 1, depth: 1 }],
  ] as const)('accepts a real %s PNG', async (_what, { width, height, channels, depth }) => {
    const stride = Math.ceil((width * channels * depth) / 8);
    const data = depth === 16 ? new Uint16Array(width * height * channels) : random(stride * height);
    const bytes = encode({ width, height, channels, depth, data });
    expect(await pngDataIntact(bytes)).toBe(true);
  });

  it('accepts a hand-made interlaced PNG with every pass present', async () => {
    const passes = pngScanlines(ihdr(19, 13, 8, 2, 1))!;
    const raw = concat(passes.map((p) => scanlines(p.rows, p.stride, 1)));
    expect(await pngDataIntact(pngWith(ihdr(19, 13, 8, 2, 1), await zlib(raw)))).toBe(true);
  });

  it.each([
    ['garbage IDAT (random bytes, CRCs valid)', async () => pngWith(ihdr(640, 480), random(4096))],
    ['one scanline too few', async () => pngWith(ihdr(64, 48), await zlib(scanlines(47, 193)))],
    [
      'one byte too many',
      async () => pngWith(ihdr(64, 48), await zlib(concat([scanlines(48, 193), new Uint8Array(1)]))),
    ],
    [
      'far too many bytes (a stream that expands on and on)',
      async () => pngWith(ihdr(64, 48), await zlib(new Uint8Array(50_000_000))),
    ],
    ['a filter byte that is no filter', async () => pngWith(ihdr(64, 48), await zlib(scanlines(48, 193, 5)))],
    [
      'a broken zlib checksum',
      async () => {
        const z = await zlib(scanlines(48, 193));
        z[z.length - 1]! ^= 0xff;
        return pngWith(ihdr(64, 48), z);
      },
    ],
    [
      'a zlib stream cut short',
      async () => pngWith(ihdr(64, 48), (await zlib(random(48 * 193))).subarray(0, 500)),
    ],
    [
      'interlaced data without the passes (stored as if not interlaced)',
      async () => pngWith(ihdr(19, 13, 8, 2, 1), await zlib(scanlines(13, 58))),
    ],
    [
      'an IHDR with an impossible bit depth',
      async () => pngWith(ihdr(64, 48, 3), await zlib(scanlines(48, 193))),
    ],
    [
      'no IDAT at all',
      async () => concat([SIGNATURE, chunk('IHDR', ihdr(64, 48)), chunk('IEND', new Uint8Array(0))]),
    ],
    [
      'a file cut inside its IDAT',
      async () => pngWith(ihdr(64, 48), await zlib(scanlines(48, 193))).subarray(0, 80),
    ],
  ])('refuses %s', async (_what, make) => {
    expect(await pngDataIntact(await make())).toBe(false);
  });
});
