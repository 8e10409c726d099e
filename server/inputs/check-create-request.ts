import type { ImageFacts } from '../../contract/images/sniff.ts';
import { imageDamaged } from '../../contract/rules/image-rules.ts';
import { validateRequest } from '../../contract/rules/validate-request.ts';
import type { CreateRequest } from '../../contract/schemas/create-request.ts';
import type { Violation } from '../../contract/schemas/studio-api.ts';
import type { SafeFetchOptions } from '../lib/safe-fetch.ts';
import { validationError } from '../lib/studio-error.ts';
import { type CollectedImage, collectImages } from './collect-images.ts';
import { type IntegrityCheck, isStructurallyIntact, pictureDataIntact } from './image-integrity.ts';

/**
 * The studio's gate before anything costs money: the shared contract rules (strict keys) fed with facts
 * from the real bytes (not the header a browser sniffed), then a structural check of every image that
 * passed (whole PNG chunks with valid CRCs, a JPEG from SOI to EOI), then their picture data (a PNG's
 * IDAT inflates to its rows, a JPEG's scan decodes to its last block), all before anything is stored or sent.
 * The integrity checks start with the header read (collectImages' checkEarly) and only their answers wait
 * for the rules. Throws a 400 with every violation, each naming its field and rule.
 */
export async function checkCreateRequest(
  body: unknown,
  fetchOpts: Omit<SafeFetchOptions, 'maxBytes'>,
  retiredModels: readonly string[] = [],
): Promise<{ request: CreateRequest; images: CollectedImage[] }> {
  const { images, violations: fetchViolations } = await collectImages(body, fetchOpts, undefined, {
    checkEarly: true,
  });
  const facts: Record<string, ImageFacts> = Object.fromEntries(images.map((i) => [i.field, i.facts]));
  const result = validateRequest(body, { strictKeys: true, facts, retiredModels });
  const ruleFields = new Set(result.violations.map((v) => v.field));
  // A field the rules already refused needs no second message about the same bytes.
  const violations: Violation[] = [
    ...result.violations,
    ...fetchViolations.filter((v) => !ruleFields.has(v.field) || v.rule === 'image_url_unusable'),
  ];
  if (violations.length || !result.request) throw validationError(violations);

  await assertImagesIntact(images);
  return { request: result.request, images };
}

/**
 * Broken framing (a cut file, a bad CRC) is the same fault to a creator as broken picture data, and the
 * browser (which checks the picture data) names it so: one rule and one message for both. Throws a 400.
 */
export async function assertImagesIntact(images: CollectedImage[]): Promise<void> {
  const checks = images.map(
    (image): IntegrityCheck => startedEarly(image) ?? structuralOnly(image.bytes, formatOf(image)),
  );
  const broken = images.filter((_, i) => !checks[i]!.structural).map((image) => imageDamaged(image.field));
  if (broken.length) throw validationError(broken);
  // Last, as the costliest check: inflating or decoding the picture data of every image at once.
  const intact = await Promise.all(
    checks.map((check, i) => check.pictureData ?? pictureDataIntact(images[i]!.bytes, check.format)),
  );
  const damaged = images.filter((_, i) => !intact[i]).map((image) => imageDamaged(image.field));
  if (damaged.length) throw validationError(damaged);
}

const formatOf = (image: CollectedImage) => (image.facts.format === 'jpeg' ? 'jpeg' : 'png');

/** The checks collectImages started, when it started them for the format sharp then read. */
const startedEarly = (image: CollectedImage) =>
  image.integrity?.format === formatOf(image) ? image.integrity : undefined;

const structuralOnly = (bytes: Uint8Array, format: 'png' | 'jpeg'): IntegrityCheck => ({
  format,
  structural: isStructurallyIntact(bytes, format),
  pictureData: undefined,
});
