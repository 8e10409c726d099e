import { createInflate } from 'node:zlib';

/**
 * Bytes one trip to the thread pool inflates at most, and feeds it at most. DecompressionStream (the
 * contract's default inflater) works in zlib's 16 KB pieces: a 640×360 RGBA start frame (900 KB of rows)
 * takes 57 trips and their promise hops, most of a create's picture checks. One piece is the most memory
 * the check holds at once, however large the image claims to be.
 */
export const INFLATE_PIECE_BYTES = 1 << 20;

/**
 * The contract's `Inflate` on Node's zlib (the same inflater DecompressionStream wraps, so the same bytes
 * pass and fail) in pieces of up to 1 MB. Small consecutive parts (PNG encoders write IDAT in 8–64 KB
 * chunks) are joined into pieces of about that size first, since zlib takes one trip per part written.
 */
export async function* inflateInPieces(deflated: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  const inflater = createInflate({ chunkSize: INFLATE_PIECE_BYTES });
  // The next piece is joined only once zlib has taken the last (not piped: Readable.from doubles the event
  // loop's share of the check), so memory stays at about a piece in and a piece out. Errors (not zlib, cut
  // short, a bad checksum) reach the loop below as the stream's.
  const pieces = joined(deflated);
  const feed = () => {
    for (let next = pieces.next(); !next.done; next = pieces.next())
      if (!inflater.write(next.value)) return void inflater.once('drain', feed);
    inflater.end();
  };
  feed();
  try {
    for await (const piece of inflater) yield piece as Buffer;
  } finally {
    inflater.destroy();
  }
}

/** The parts, with runs of small ones copied together into pieces of up to INFLATE_PIECE_BYTES. */
function* joined(parts: readonly Uint8Array[]): Generator<Uint8Array> {
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const flush = () => {
    const piece = run.length === 1 ? run[0]! : Buffer.concat(run, runBytes);
    run = [];
    runBytes = 0;
    return piece;
  };
  for (const part of parts) {
    if (runBytes && runBytes + part.length > INFLATE_PIECE_BYTES) yield flush();
    run.push(part);
    runBytes += part.length;
  }
  if (run.length) yield flush();
}
