/**
 * The studio reports a failure as "Kling could not make this video: <Kling's task_status_msg>", or in its
 * own words for failures of its own. Kling's part is terse and sometimes cryptic ("Failure to pass the
 * risk control system"): this adds what it means and what to change before trying again.
 */
export interface FailureAdvice {
  /** What happened, in plain words; absent when the message itself is all we know. */
  summary?: string;
  /** What the creator can change. */
  change: string;
}

interface Rule {
  test: RegExp;
  advice: FailureAdvice;
}

const RULES: readonly Rule[] = [
  {
    test: /risk control|content (security|policy)|moderation|sensitive|1301/i,
    advice: {
      summary: "Kling's content check refused this video.",
      change:
        'Try another start frame (avoid real faces, logos, nudity or violence) or reword the prompt, then generate again.',
    },
  },
  {
    test: /mask/i,
    advice: {
      summary: "The motion brush masks don't match the start frame.",
      change: 'Remix the task and repaint the masks on this start frame, so they are exported at its size.',
    },
  },
  {
    test: /aspect|resolution|dimension|too (small|large)|image.*(invalid|format|decode)|(invalid|unsupported).*image/i,
    advice: {
      summary: 'Kling could not use the start or end frame.',
      change: 'Use a JPG or PNG, at least 300 px per side, with an aspect ratio between 1:2.5 and 2.5:1.',
    },
  },
  {
    test: /balance|arrears|resource pack|quota|insufficient/i,
    advice: {
      summary: 'The Kling account has run out of credit for this model.',
      change: "Top up the account's resource pack in the Kling console, or pick a model the pack covers.",
    },
  },
  {
    test: /time(d)? ?out|timeout|too long|expired/i,
    advice: {
      summary: 'The task took too long and was given up.',
      change: 'Generate again; if it keeps happening, try std mode or a 5 s duration.',
    },
  },
  {
    test: /archiv|download/i,
    advice: {
      summary: 'Kling made the video, but the studio could not save a copy of it.',
      change: 'Generate again; check that the studio has disk space and can reach Kling.',
    },
  },
];

const FALLBACK: FailureAdvice = {
  change: 'Remix to adjust the inputs, or generate again: failures on Kling’s side are sometimes temporary.',
};

export function adviseOnFailure(message: string | null): FailureAdvice {
  if (!message?.trim()) return { ...FALLBACK, summary: 'Kling did not say why this video failed.' };
  return RULES.find((r) => r.test.test(message))?.advice ?? FALLBACK;
}
