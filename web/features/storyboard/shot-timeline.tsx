import type { ShotDraft } from '../../editor/draft-types.ts';
import { shotsTotal } from '../../editor/storyboard.ts';

/**
 * Each shot's share of the video as a bar; when the shots run past the video, a red line marks where it
 * ends, and when they fall short the bar's rest stays empty.
 */
export function ShotTimeline({ shots, duration }: { shots: readonly ShotDraft[]; duration: number }) {
  const total = shotsTotal(shots);
  const span = Math.max(total, duration, 1);
  const text = shots.map((s, i) => `shot ${i + 1} ${s.seconds} s`).join(', ');
  return (
    <div className="shot-timeline" role="img" aria-label={`Timeline of ${duration} s: ${text}`}>
      {shots.map((s, i) => (
        <div
          key={s.id}
          className="shot-timeline__shot"
          style={{ width: `${(Math.max(0, s.seconds) / span) * 100}%` }}
          title={`Shot ${i + 1}: ${s.seconds} s`}
        >
          {i + 1}
        </div>
      ))}
      {total > duration && (
        <div className="shot-timeline__end" style={{ left: `${(duration / span) * 100}%` }} />
      )}
    </div>
  );
}
