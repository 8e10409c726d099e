import type { Violation } from '../schemas/studio-api.ts';
import { fieldLabel } from './field-labels.ts';

/** `U+000D`: how a character the creator cannot see is named in a message. */
export const codePointName = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

const isC0 = (u: number) => u < 0x20 && u !== 0x0a && u !== 0x09;
// Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069) reorder the text around them, so
// what a reviewer reads is not what Kling is asked for.
const isBidiControl = (u: number) => (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069);

/**
 * Characters a prompt must not carry: C0 controls but newline and tab, bidi controls, and lone surrogates
 * (JSON carries one; storing it turns it into U+FFFD, so the stored prompt would differ from what Kling got).
 * The first of each kind, with its position counted as a text field counts (UTF-16 units, from 1).
 */
export function promptTextRules(field: string, text: string): Violation[] {
  const found = new Map<string, string>();
  const note = (rule: string, words: string) => {
    if (!found.has(rule)) found.set(rule, words);
  };
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0x20) {
      if (isC0(u))
        note('control_character', `contains a control character (${codePointName(u)}) at position ${i + 1}`);
    } else if (u >= 0xd800 && u <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else
        note(
          'lone_surrogate',
          `contains half of a character (lone surrogate ${codePointName(u)}) at position ${i + 1}`,
        );
    } else if (isBidiControl(u))
      note(
        'bidi_control',
        `contains an invisible text-direction control (${codePointName(u)}) at position ${i + 1}`,
      );
  }
  return [...found].map(([rule, words]) => ({ field, rule, message: `${fieldLabel(field)}: ${words}` }));
}

/** The words for a value that breaks a field's character pattern, naming the first character outside it. */
export function patternWords(field: string, value: unknown): string | undefined {
  if (field !== 'external_task_id') return undefined;
  const text = typeof value === 'string' ? value : '';
  const at = text.search(/[^A-Za-z0-9._:-]/);
  const where = at >= 0 ? ` (found ${codePointName(text.codePointAt(at)!)} at position ${at + 1})` : '';
  return `may contain only letters, digits, ".", "_", ":" and "-"${where}`;
}
