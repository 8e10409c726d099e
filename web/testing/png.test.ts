import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../contract/images/sniff.ts';
import { encodePng } from './png.ts';

describe('encodePng (test helper)', () => {
  it('writes a PNG whose header and pixels read back', () => {
    const png = encodePng(4, 3, { pixel: (x, y) => [x, y, 7] });
    expect(sniffImage(png)).toEqual({ format: 'png', bytes: png.length, width: 4, height: 3 });
    // IDAT sits right after the 8-byte signature and the 25-byte IHDR chunk.
    const idatLen = new DataView(png.buffer).getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    // Row 1 (filter byte + 4 RGB pixels), pixel x=2: [2, 1, 7].
    expect([...raw.subarray(13 + 1 + 6, 13 + 1 + 9)]).toEqual([2, 1, 7]);
  });

  it('pads to an exact size', () => {
    expect(encodePng(10, 10, { padToBytes: 5000 }).length).toBe(5000);
  });
});
