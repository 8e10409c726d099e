import type { ImageFacts } from '../images/sniff.ts';
import { LIMITS } from '../limits.ts';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';

/** "16:9"-style text for a width/height pair, normalised so the smaller side is 1 (or exact when simple). */
export function formatAspect(width: number, height: number): string {
  if (width >= height) return `${trim(width / height)}:1`;
  return `1:${trim(height / width)}`;
}
function trim(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

/** The formats the rules refuse, with their article as read aloud ("an SVG", "a GIF"). */
const FORMAT_NAME: Record<Exclude<ImageFacts['format'], 'png' | 'jpeg' | 'unknown'>, string> = {
  svg: 'an SVG',
  gif: 'a GIF',
  webp: 'a WebP',
};

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/**
 * Rules on one image's facts. Frames get every rule; masks get format and size only, and are compared
 * with the start frame separately (maskRules).
 */
export function imageFactRules(field: string, f: ImageFacts, kind: 'frame' | 'mask'): Violation[] {
  const label = fieldLabel(field);
  const out: Violation[] = [];
  const v = (rule: string, message: string) => out.push({ field, rule, message: `${label}: ${message}` });
  if (f.bytes === 0) {
    v('image_empty', 'the file is empty');
    return out;
  }
  if (f.format !== 'png' && f.format !== 'jpeg') {
    const what = f.format === 'unknown' ? 'not an image Kling can read' : `${FORMAT_NAME[f.format]} image`;
    v('image_format', `must be a JPG or PNG image, but this is ${what}`);
    return out;
  }
  if (f.bytes > LIMITS.imageMaxBytes) v('image_too_large', `${mb(f.bytes)} is over the 10 MB limit`);
  if (f.width === 0 || f.height === 0) {
    v('image_unreadable', 'the image header is damaged, so its dimensions cannot be read');
    return out;
  }
  if (f.width > LIMITS.imageMaxSide || f.height > LIMITS.imageMaxSide)
    v('image_too_big', `${f.width}×${f.height} px is over the ${LIMITS.imageMaxSide} px per side limit`);
  if (kind === 'mask') return out;
  if (f.width < LIMITS.imageMinSide || f.height < LIMITS.imageMinSide)
    v(
      'image_too_small',
      `${f.width}×${f.height} px is below the ${LIMITS.imageMinSide} px minimum for each side`,
    );
  const ratio = f.width / f.height;
  if (ratio < LIMITS.aspectMin)
    v(
      'image_aspect',
      `${formatAspect(f.width, f.height)} is narrower than 1:2.5 (aspect ratio must be 1:2.5 to 2.5:1)`,
    );
  else if (ratio > LIMITS.aspectMax)
    v(
      'image_aspect',
      `${formatAspect(f.width, f.height)} is wider than 2.5:1 (aspect ratio must be 1:2.5 to 2.5:1)`,
    );
  return out;
}

/** Kling fails a task whose masks do not match the image's aspect ratio or each other's resolution. */
export function maskRules(
  image: ImageFacts | undefined,
  masks: { field: string; facts: ImageFacts | undefined }[],
): Violation[] {
  const out: Violation[] = [];
  const known = masks.filter(
    (m): m is { field: string; facts: ImageFacts } => !!m.facts && m.facts.width > 0,
  );
  if (image && image.width > 0) {
    const ratio = image.width / image.height;
    for (const m of known) {
      const mr = m.facts.width / m.facts.height;
      if (Math.abs(mr - ratio) / ratio > LIMITS.maskAspectTolerance)
        out.push({
          field: m.field,
          rule: 'mask_aspect',
          message: `${fieldLabel(m.field)}: ${m.facts.width}×${m.facts.height} does not match the start frame's aspect ratio (${image.width}×${image.height})`,
        });
    }
  }
  const first = known[0];
  if (first)
    for (const m of known.slice(1))
      if (m.facts.width !== first.facts.width || m.facts.height !== first.facts.height)
        out.push({
          field: m.field,
          rule: 'mask_resolution',
          message: `${fieldLabel(m.field)}: ${m.facts.width}×${m.facts.height} differs from ${fieldLabel(first.field)} (${first.facts.width}×${first.facts.height}); all masks must have identical resolution`,
        });
  return out;
}

/**
 * The picture data past the header is damaged (a PNG's IDAT stream does not inflate to its rows, a JPEG's
 * scan stops early): Kling would accept the task, fail it and bill it. Browser and backend both say this.
 */
export function imageDamaged(field: string): Violation {
  return {
    field,
    rule: 'image_damaged',
    message: `${fieldLabel(field)}: the picture data is damaged, so Kling could not read it`,
  };
}
