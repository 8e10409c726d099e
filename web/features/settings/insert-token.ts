/** Text with `token` replacing the selection [start, end), and where the caret lands after it. */
export function insertToken(
  text: string,
  start: number,
  end: number,
  token: string,
): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + token + text.slice(b), caret: a + token.length };
}

export const voiceToken = (n: number) => `<<<voice_${n}>>>`;
