/**
 * Run-length coding for mask tiles in the undo history. Masks are binary, so a 256×256 tile with a
 * brush edge across it is a few hundred runs: kilobytes instead of 64 KB, which is what keeps a long
 * history affordable on a 4096×4096 frame. Runs are stored as [value, length lo, length hi].
 */
export function rleEncode(src: Uint8Array): Uint8Array {
  // Written into a growing typed buffer: this runs over every touched tile when a stroke ends.
  let out = new Uint8Array(256);
  let o = 0;
  let i = 0;
  const len = src.length;
  while (i < len) {
    const v = src[i]!;
    let j = i + 1;
    const stop = Math.min(len, i + 0xffff);
    while (j < stop && src[j] === v) j++;
    if (o + 3 > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    const n = j - i;
    out[o] = v;
    out[o + 1] = n & 0xff;
    out[o + 2] = n >> 8;
    o += 3;
    i = j;
  }
  return out.slice(0, o);
}

/** Decodes into `dst` (whose length is the decoded length). */
export function rleDecode(src: Uint8Array, dst: Uint8Array): Uint8Array {
  let o = 0;
  for (let i = 0; i + 2 < src.length; i += 3) {
    const n = src[i + 1]! | (src[i + 2]! << 8);
    dst.fill(src[i]!, o, o + n);
    o += n;
  }
  return dst;
}
