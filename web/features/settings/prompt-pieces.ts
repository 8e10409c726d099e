/** A prompt cut at its voice references, so each `<<<voice_N>>>` can be shown as a chip with the voice's name. */
export type PromptPiece = { kind: 'text'; text: string } | { kind: 'voice'; n: number; token: string };

const VOICE_TOKEN = /<<<voice_(\d+)>>>/g;

export function promptPieces(prompt: string): PromptPiece[] {
  const out: PromptPiece[] = [];
  let at = 0;
  for (const m of prompt.matchAll(VOICE_TOKEN)) {
    if (m.index > at) out.push({ kind: 'text', text: prompt.slice(at, m.index) });
    out.push({ kind: 'voice', n: Number(m[1]), token: m[0] });
    at = m.index + m[0].length;
  }
  if (at < prompt.length) out.push({ kind: 'text', text: prompt.slice(at) });
  return out;
}
