import { useQuery } from '@tanstack/react-query';
import { seconds } from '../../../contract/rules/video-rules.ts';
import type { StudioTask } from '../../../contract/schemas/studio-api.ts';
import { taskInputsQuery } from '../../api/task-inputs.ts';

/**
 * A motion-control task's reference clip, played from the studio's stored copy, so the creator can see
 * which motion the result copied. Other tasks have none.
 */
export function TaskReference({ task }: { task: StudioTask }) {
  const motionControl = task.kind === 'motion-control';
  const inputs = useQuery({ ...taskInputsQuery(task.id), enabled: motionControl });
  if (!motionControl) return null;
  const reference = inputs.data?.kind === 'motion-control' ? inputs.data.reference : undefined;
  return (
    <figure className="tasks-reference">
      {reference ? (
        <video
          className="tasks-video"
          src={reference.url}
          aria-label="Reference video of this task"
          controls
          muted
          loop
          playsInline
          preload="metadata"
        />
      ) : (
        <p className="tasks-state" role="status">
          {inputs.isError
            ? `The reference video could not be loaded: ${inputs.error.message}`
            : 'Loading the reference video…'}
        </p>
      )}
      <figcaption className="tasks-reference-caption">
        Reference video
        {reference && ` · ${seconds(reference.durationMs)} · ${reference.width}×${reference.height}`}
      </figcaption>
    </figure>
  );
}
