import { describe, expect, it } from 'vitest';
import { parseProbe } from './probe-video.ts';

describe('parseProbe', () => {
  it('reads the bundled ffmpeg 4.1 output', () => {
    const stderr = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':
  Duration: 00:00:05.00, start: 0.000000, bitrate: 52 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1280x720, 48 kb/s, 30 fps, 30 tbr, 15360 tbn, 60 tbc (default)
Output #0, null, to 'pipe:':
    Stream #0:0(und): Video: wrapped_avframe, yuv420p, 1280x720, q=2-31, 200 kb/s, 30 fps, 30 tbn, 30 tbc (default)
frame=   75 fps=0.0 q=-0.0 size=N/A time=00:00:02.50\rframe=  150 fps=0.0 q=-0.0 Lsize=N/A time=00:00:05.00 bitrate=N/A speed=73.3x`;
    expect(parseProbe(stderr)).toEqual({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 1280,
      height: 720,
      fps: 30,
      frames: 150,
      durationSeconds: 5,
    });
  });

  it('reads newer ffmpeg output with colour details and SAR', () => {
    const stderr = `  Duration: 00:00:10.04, start: 0.000000, bitrate: 900 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 880 kb/s, 24 fps, 24 tbr, 12288 tbn (default)
[out#0/null @ 0x1] video:1kB
frame=  241 fps=0.0 q=-0.0 Lsize=N/A time=00:00:10.04 bitrate=N/A speed=50x`;
    const probe = parseProbe(stderr);
    expect(probe).toMatchObject({ pixelFormat: 'yuv420p', width: 1920, height: 1080, fps: 24, frames: 241 });
    expect(probe.durationSeconds).toBeCloseTo(10.04, 9);
  });

  it('refuses output it cannot read', () => {
    expect(() => parseProbe('no such file')).toThrow(/could not parse/);
  });
});
