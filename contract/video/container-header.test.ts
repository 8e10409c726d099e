import { describe, expect, it } from 'vitest';
import { jpegImage, pngImage, textFile } from '../testing/test-images.ts';
import {
  box,
  fields,
  frames,
  ftyp,
  fullBox,
  hdlr,
  largeBox,
  movieBox,
  mvex,
  mvhd,
  recordingSource,
  sparseSource,
  syntheticVideo,
  tkhd,
  toEndBox,
  topLevelBoxes,
  trak,
} from '../testing/test-videos.ts';
import {
  bytesSource,
  FORMAT_SNIFF_BYTES,
  MAX_MOOV_BYTES,
  readVideoFacts,
  sniffVideoFormat,
  type VideoFacts,
} from './container-header.ts';

const vide = { handler: 'vide', width: 1280, height: 720 } as const;
const read = (file: Uint8Array) => readVideoFacts(bytesSource(file));
const facts = (file: Uint8Array, f: Partial<VideoFacts>): VideoFacts => ({
  format: 'mp4',
  bytes: file.length,
  width: 1280,
  height: 720,
  durationMs: 5000,
  hasAudio: false,
  ...f,
});
const unreadable = (file: Uint8Array, format: VideoFacts['format'] = 'mp4'): VideoFacts => ({
  format,
  bytes: file.length,
  width: 0,
  height: 0,
  durationMs: 0,
  hasAudio: false,
});
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('sniffVideoFormat: the format comes from the ftyp brands', () => {
  it.each([
    ['isom', [], 'mp4'],
    ['mp42', ['isom'], 'mp4'],
    ['M4V ', [], 'mp4'],
    ['qt  ', [], 'mov'],
    ['qt  ', ['isom'], 'mov'],
    // A camera's own major brand: the compatible brands decide.
    ['XAVX', ['qt  '], 'mov'],
    ['abcd', ['efgh', 'mp41'], 'mp4'],
    ['abcd', ['isom', 'qt  '], 'mov'],
    // Still images in the same box family are not videos.
    ['heic', ['mif1', 'heic'], 'unknown'],
    ['avif', ['avif', 'mif1', 'miaf'], 'unknown'],
  ] as const)('major %j, compatible %j → %s', (major, compatible, format) => {
    expect(sniffVideoFormat(ftyp(major, compatible))).toBe(format);
  });

  it('is unknown without a leading ftyp, or with fewer than 12 bytes', () => {
    expect(sniffVideoFormat(box('moov', mvhd({ duration: 1 })))).toBe('unknown');
    expect(sniffVideoFormat(cat(box('free'), ftyp('isom')))).toBe('unknown');
    expect(sniffVideoFormat(ftyp('isom').subarray(0, 11))).toBe('unknown');
    expect(sniffVideoFormat(new Uint8Array())).toBe('unknown');
  });

  it('reads compatible brands only inside the ftyp box, not from the box after it', () => {
    const next = box('free', new TextEncoder().encode('qt  '));
    expect(sniffVideoFormat(cat(ftyp('abcd'), next))).toBe('unknown');
    // A damaged ftyp that claims fewer than 16 bytes has no compatible brands at all.
    const short = ftyp('abcd', ['qt  ']);
    short[3] = 12;
    expect(sniffVideoFormat(short)).toBe('unknown');
  });

  it('a renamed PNG, JPEG or text file is not a video', async () => {
    for (const file of [pngImage(400, 300), jpegImage(400, 300), textFile()]) {
      expect(sniffVideoFormat(file.subarray(0, FORMAT_SNIFF_BYTES))).toBe('unknown');
      expect(await read(file)).toEqual(unreadable(file, 'unknown'));
    }
  });
});

describe('readVideoFacts: the layouts real files have', () => {
  it('reads a faststart MP4 (moov before mdat)', async () => {
    const file = syntheticVideo({ faststart: true });
    expect(await read(file)).toEqual(facts(file, {}));
  });

  it('reads a camera MP4 (moov after mdat) and a QuickTime MOV', async () => {
    const mp4 = syntheticVideo({ width: 1920, height: 1080, durationMs: 12_345 });
    expect(await read(mp4)).toEqual(facts(mp4, { width: 1920, height: 1080, durationMs: 12_345 }));
    const mov = syntheticVideo({ format: 'mov', audio: true });
    expect(topLevelBoxes(mov).map((b) => b.type)).toEqual(['ftyp', 'wide', 'mdat', 'moov']);
    expect(await read(mov)).toEqual(facts(mov, { format: 'mov', hasAudio: true }));
  });

  it.each([0, 100])(
    'finds a moov at the end without reading the frames in mdat (padding %i)',
    async (padBytes) => {
      const file = syntheticVideo({ mdatBytes: 1024 * 1024, padBytes });
      const boxes = topLevelBoxes(file);
      const mdat = boxes.find((b) => b.type === 'mdat')!;
      const moov = boxes.find((b) => b.type === 'moov')!;
      const source = recordingSource(bytesSource(file));
      expect(await readVideoFacts(source)).toEqual(facts(file, {}));
      // Only the format sniff (the file's first bytes) may overlap mdat's payload; the walk reads headers.
      const payloadPastSniff = source.bytesReadWithin(
        Math.max(mdat.offset + mdat.header, FORMAT_SNIFF_BYTES),
        mdat.end,
      );
      expect(payloadPastSniff).toBe(0);
      // The sniff, one 8-byte header per top-level box, and the moov itself.
      expect(source.bytesRead()).toBe(FORMAT_SNIFF_BYTES + 8 * boxes.length + (moov.end - moov.offset));
    },
  );

  it('walks past a 64-bit mdat of 5 GB without asking for it', async () => {
    const head = ftyp('isom', ['isom', 'mp41']);
    const mdatSize = 5 * 1024 ** 3;
    const mdatHeader = cat(fields([1, 4]), new TextEncoder().encode('mdat'), fields([mdatSize, 8]));
    const moov = movieBox({ width: 3840, height: 2160, durationMs: 29_000, audio: true });
    const moovAt = head.length + mdatSize;
    const source = recordingSource(
      sparseSource(
        moovAt + moov.length,
        [
          { offset: 0, bytes: head },
          { offset: head.length, bytes: mdatHeader },
          { offset: moovAt, bytes: moov },
        ],
        1024 * 1024,
      ),
    );
    expect(await readVideoFacts(source)).toEqual({
      format: 'mp4',
      bytes: moovAt + moov.length,
      width: 3840,
      height: 2160,
      durationMs: 29_000,
      hasAudio: true,
    });
    expect(source.bytesReadWithin(Math.max(FORMAT_SNIFF_BYTES, head.length + 16), moovAt)).toBe(0);
  });

  it('reads 64-bit box sizes on a small file too: mdat and moov', async () => {
    const file = syntheticVideo({ largeMdat: true });
    expect(topLevelBoxes(file).find((b) => b.type === 'mdat')?.header).toBe(16);
    expect(await read(file)).toEqual(facts(file, {}));
    const moov = movieBox({ width: 640, height: 480 });
    const large = cat(ftyp('isom'), box('mdat', frames(100)), largeBox('moov', moov.subarray(8)));
    expect(await read(large)).toEqual(facts(large, { width: 640, height: 480 }));
  });

  it('reads a size-0 box that runs to the end of the file: a streamed mdat, or the moov itself', async () => {
    const moov = movieBox({});
    const streamed = cat(ftyp('isom'), moov, toEndBox('mdat', frames(500)));
    expect(await read(streamed)).toEqual(facts(streamed, {}));
    const moovLast = cat(ftyp('isom'), box('mdat', frames(500)), toEndBox('moov', moov.subarray(8)));
    expect(await read(moovLast)).toEqual(facts(moovLast, {}));
  });

  it('reads mvhd and tkhd in both versions (32- and 64-bit times)', async () => {
    for (const mvhdVersion of [0, 1] as const)
      for (const tkhdVersion of [0, 1] as const) {
        const file = syntheticVideo({
          mvhdVersion,
          tkhdVersion,
          timescale: 90_000,
          durationMs: 7_250,
          width: 720,
          height: 1280,
        });
        expect(await read(file), `mvhd v${mvhdVersion}, tkhd v${tkhdVersion}`).toEqual(
          facts(file, { width: 720, height: 1280, durationMs: 7_250 }),
        );
      }
  });

  it('a 64-bit duration beyond 32 bits is read whole', async () => {
    // 3 hours on a 1 MHz timescale: 1.08e10 ticks, more than 2^32.
    const moov = box(
      'moov',
      mvhd({ version: 1, timescale: 1_000_000, duration: 3 * 3600 * 1e6 }),
      trak(vide),
    );
    const file = cat(ftyp('isom'), moov);
    expect((await read(file)).durationMs).toBe(3 * 3600 * 1000);
  });

  it('swaps width and height when the matrix rotates by 90° or 270°, not 180°', async () => {
    for (const [rotation, width, height] of [
      [0, 1920, 1080],
      [90, 1080, 1920],
      [180, 1920, 1080],
      [270, 1080, 1920],
    ] as const) {
      const file = syntheticVideo({ width: 1920, height: 1080, rotation });
      expect(await read(file), `${rotation}°`).toMatchObject({ width, height });
    }
  });

  it('rounds a fractional 16.16 display size to whole pixels', async () => {
    const file = syntheticVideo({ width: 853.33, height: 480.5 });
    expect(await read(file)).toMatchObject({ width: 853, height: 481 });
  });

  it('says whether a sound track is there', async () => {
    expect((await read(syntheticVideo({ audio: true }))).hasAudio).toBe(true);
    expect((await read(syntheticVideo({ audio: false }))).hasAudio).toBe(false);
    expect((await read(syntheticVideo({ format: 'mov', audio: true }))).hasAudio).toBe(true);
  });

  it('a sound-only file has audio but no picture size', async () => {
    const file = syntheticVideo({ noVideo: true, audio: true });
    expect(await read(file)).toEqual({ ...unreadable(file), durationMs: 5000, hasAudio: true });
  });

  it('takes the size from the picture track, whatever tracks come first', async () => {
    const moov = box(
      'moov',
      mvhd({ duration: 4000 }),
      trak({ handler: 'soun', width: 0, height: 0, trackId: 1 }),
      trak({ handler: 'tmcd', width: 0, height: 0, trackId: 2 }),
      trak({ handler: 'meta', width: 99, height: 99, trackId: 3 }),
      // A picture track that declares no size (a cover-art stub) is passed over.
      trak({ handler: 'vide', width: 0, height: 0, trackId: 4 }),
      trak({ handler: 'vide', width: 1080, height: 1350, trackId: 5 }),
    );
    const file = cat(ftyp('isom'), box('free', frames(20)), moov);
    expect(await read(file)).toEqual(
      facts(file, { width: 1080, height: 1350, durationMs: 4000, hasAudio: true }),
    );
  });

  it('a fragmented MP4 takes its duration from mvex/mehd (32- and 64-bit)', async () => {
    const file = syntheticVideo({ fragmented: true, durationMs: 8_000 });
    expect(topLevelBoxes(file).map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof', 'mdat', 'moof', 'mdat']);
    expect(await read(file)).toEqual(facts(file, { durationMs: 8_000 }));
    const v1 = cat(
      ftyp('iso5', ['iso5', 'dash']),
      box('moov', mvhd({ timescale: 600, duration: 0 }), trak(vide), mvex(6_000, 1)),
    );
    expect((await read(v1)).durationMs).toBe(10_000);
  });

  it('an unknown duration (all ones) without mehd reads as 0, not 49 days', async () => {
    const v0 = cat(ftyp('isom'), box('moov', mvhd({ duration: 0xffffffff }), trak(vide)));
    expect((await read(v0)).durationMs).toBe(0);
    const allOnes = cat(ftyp('isom'), box('moov', mvhd({ version: 1, duration: 0 }), trak(vide)));
    // moov and mvhd headers, version/flags, two 64-bit times, the timescale: then the 64-bit duration.
    const at = topLevelBoxes(allOnes)[1]!.offset + 8 + 8 + 4 + 8 + 8 + 4;
    allOnes.fill(0xff, at, at + 8);
    expect((await read(allOnes)).durationMs).toBe(0);
  });
});

describe('readVideoFacts: damaged files give facts with width 0, never a throw', () => {
  it('an empty file: no read at all', async () => {
    const source = recordingSource(bytesSource(new Uint8Array()));
    expect(await readVideoFacts(source)).toEqual(unreadable(new Uint8Array(), 'unknown'));
    expect(source.reads).toEqual([]);
  });

  it('an ftyp and nothing else, or boxes but no moov', async () => {
    const onlyFtyp = ftyp('isom');
    expect(await read(onlyFtyp)).toEqual(unreadable(onlyFtyp));
    const noMoov = cat(ftyp('qt  '), box('wide'), box('mdat', frames(300)));
    expect(await read(noMoov)).toEqual(unreadable(noMoov, 'mov'));
  });

  it('a file cut anywhere: the facts are whole only when the moov is', async () => {
    for (const faststart of [true, false]) {
      const file = syntheticVideo({ faststart, audio: true, mdatBytes: 200 });
      const moov = topLevelBoxes(file).find((b) => b.type === 'moov')!;
      for (let cut = 0; cut < file.length; cut++) {
        const part = file.slice(0, cut);
        const got = await read(part);
        const why = `faststart ${faststart}, cut at ${cut} of ${file.length}`;
        if (faststart && cut >= moov.end) expect(got, why).toEqual(facts(part, { hasAudio: true }));
        else
          expect(got, why).toMatchObject({ bytes: cut, width: 0, height: 0, durationMs: 0, hasAudio: false });
      }
    }
  });

  it('a moov over MAX_MOOV_BYTES is refused from its header alone', async () => {
    const head = ftyp('isom');
    const moov = movieBox({});
    const size = MAX_MOOV_BYTES + 1;
    const header = fields([size, 4]);
    const source = recordingSource(
      sparseSource(
        head.length + size,
        [
          { offset: 0, bytes: head },
          { offset: head.length, bytes: cat(header, moov.subarray(4)) },
        ],
        1024 * 1024,
      ),
    );
    expect(await readVideoFacts(source)).toEqual({
      ...unreadable(new Uint8Array()),
      bytes: head.length + size,
    });
    expect(Math.max(...source.reads.map((r) => r.length))).toBeLessThanOrEqual(FORMAT_SNIFF_BYTES);
  });

  it('a moov that is not boxes inside: garbage, a box claiming more than its parent, a size under 8', async () => {
    const garbage = cat(ftyp('isom'), box('moov', frames(400)));
    expect(await read(garbage)).toEqual(unreadable(garbage));
    const overlong = movieBox({});
    // The first child (mvhd) claims to be larger than the moov around it.
    overlong.set(fields([overlong.length, 4]), 8);
    const f1 = cat(ftyp('isom'), overlong);
    expect(await read(f1)).toEqual(unreadable(f1));
    const tiny = cat(ftyp('isom'), fields([4, 4]), new TextEncoder().encode('free'), movieBox({}));
    expect(await read(tiny)).toEqual(unreadable(tiny));
  });

  it('an mvhd, tkhd, hdlr or mehd cut short reads as 0, not as the next box or NaN', async () => {
    const cutMvhdV1 = cat(
      ftyp('isom'),
      // v1: times are 8 bytes; the box ends after the timescale, before the duration.
      box('moov', fullBox('mvhd', 1, fields([0, 8], [0, 8], [1000, 4])), trak(vide), box('free', frames(16))),
    );
    expect(await read(cutMvhdV1)).toEqual(facts(cutMvhdV1, { durationMs: 0 }));
    const cutMvhdV0 = cat(ftyp('isom'), box('moov', fullBox('mvhd', 0, fields([0, 4], [0, 4])), trak(vide)));
    expect(await read(cutMvhdV0)).toEqual(facts(cutMvhdV0, { durationMs: 0 }));
    const cutTkhd = cat(
      ftyp('isom'),
      box(
        'moov',
        mvhd({ duration: 5000 }),
        box('trak', fullBox('tkhd', 0, frames(60)), box('mdia', hdlr('vide'))),
      ),
    );
    expect(await read(cutTkhd)).toEqual(facts(cutTkhd, { width: 0, height: 0 }));
    const cutMehd = cat(
      ftyp('isom'),
      box(
        'moov',
        mvhd({ duration: 0 }),
        trak(vide),
        box('mvex', fullBox('mehd', 1, fields([5000, 4]))),
        box('free', frames(16)),
      ),
    );
    expect(await read(cutMehd)).toEqual(facts(cutMehd, { durationMs: 0 }));
    const noHdlr = cat(ftyp('isom'), box('moov', mvhd({ duration: 5000 }), box('trak', tkhd(vide))));
    expect(await read(noHdlr)).toMatchObject({ width: 0, durationMs: 5000 });
  });

  it('random bytes after a valid ftyp never throw', async () => {
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let n = 0; n < 200; n++) {
      const tail = Uint8Array.from({ length: 64 + (n % 50) * 8 }, rnd);
      // Make some of the garbage look like a moov header, so the inner walk gets garbage too.
      if (n % 2) tail.set(cat(fields([tail.length, 4]), new TextEncoder().encode('moov')));
      const got = await read(cat(ftyp('isom'), tail));
      expect(got.format).toBe('mp4');
      expect(Number.isFinite(got.durationMs) && got.durationMs >= 0).toBe(true);
      expect(Number.isInteger(got.width) && Number.isInteger(got.height)).toBe(true);
    }
  });
});
