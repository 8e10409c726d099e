/**
 * Which ffmpeg to run. FFMPEG_PATH wins so a system ffmpeg (or a newer one) can replace the bundled
 * build; otherwise the binary that @ffmpeg-installer downloaded for this platform.
 */
import { createRequire } from 'node:module';

let bundledPath: string | undefined;

export function ffmpegPath(): string {
  const override = process.env.FFMPEG_PATH;
  if (override) return override;
  if (bundledPath === undefined) {
    // Loaded lazily: the installer throws at import time on platforms it has no binary for, and that
    // must not break importing the simulator when FFMPEG_PATH would have been set later.
    const require = createRequire(import.meta.url);
    try {
      const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
      bundledPath = installer.path;
    } catch (cause) {
      throw new Error(
        'No ffmpeg binary: install @ffmpeg-installer/ffmpeg for this platform or set FFMPEG_PATH',
        {
          cause,
        },
      );
    }
  }
  return bundledPath;
}
