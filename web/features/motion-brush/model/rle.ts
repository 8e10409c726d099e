/**
 * Run-length coding for mask tiles in the undo history. Masks are binary, so a 256×256 tile with a
 * brush edge across it is a few hundred runs: kilobytes instead of 64 KB, which is what keeps a long
 * history affordable on a 4096×4096 frame. Runs are stored as [value, length lo, length hi].
 */
export function rleEncode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    const v = src[i]!;
    let n = 1;
    while (i + n < src.length && src[i + n] === v && n < 0xffff) n++;
    out.push(v, n & 0xff, n >> 8);
    i += n;
  }
  return Uint8Array.from(out);
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
