/** Elapsed time as a clock reading: `0:07`, `3:20`, `1:02:05`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A rough span for people: "about 3 min", "about 45 s". */
export function formatApprox(seconds: number): string {
  return seconds >= 90 ? `about ${Math.round(seconds / 60)} min` : `about ${Math.round(seconds)} s`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export const formatTimestamp = (ms: number) => dateTime.format(ms);

/** Today's tasks show the time only; older ones the date too. */
export function formatCreated(ms: number, now: number): string {
  return new Date(ms).toDateString() === new Date(now).toDateString()
    ? timeOnly.format(ms)
    : dateTime.format(ms);
}

/** The first words of a prompt for a list row; whitespace runs collapse so a row stays one line. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
