import {
  base64DecodedLength,
  decodeBase64Prefix,
  hasDataPrefix,
  isHttpUrl,
  isWellFormedBase64,
} from '../images/base64.ts';
import { type ImageFacts, SNIFF_BYTES, sniffImage } from '../images/sniff.ts';
import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';
import { imageFactRules } from './image-rules.ts';

/**
 * One image field (base64 or URL) of any request: its encoding rules, then its facts' rules. Returns the
 * facts when they are known (sniffed from base64, or given for a URL), for rules that compare images.
 */
export function checkImageField(
  path: string,
  value: string,
  kind: 'frame' | 'mask',
  given: ImageFacts | undefined,
  out: Violation[],
): ImageFacts | undefined {
  const add = (rule: string, msg: string) =>
    out.push({ field: path, rule, message: `${fieldLabel(path)}: ${msg}` });
  if (hasDataPrefix(value)) {
    add('data_prefix', 'base64 must not start with a "data:" prefix; send the raw base64 only');
    return undefined;
  }
  let facts: ImageFacts | undefined;
  if (isHttpUrl(value)) facts = given;
  else if (!isWellFormedBase64(value)) {
    add('base64_invalid', 'must be raw base64 or an http(s) URL, and this is neither');
    return undefined;
  } else facts = given ?? sniffImage(decodeBase64Prefix(value, SNIFF_BYTES), base64DecodedLength(value));
  if (facts) out.push(...imageFactRules(path, facts, kind));
  return facts;
}
