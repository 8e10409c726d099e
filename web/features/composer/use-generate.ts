import { useEffect, useRef, useState } from 'react';
import { validateMotionControl } from '../../../contract/rules/validate-motion-control.ts';
import { validateRequest } from '../../../contract/rules/validate-request.ts';
import type { MotionBrushFields } from '../../../contract/schemas/create-request.ts';
import type { StudioTask, Violation } from '../../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../../contract/tasks/external-id.ts';
import { ApiError } from '../../api/client.ts';
import { createStudioTask, useCreateStudioTask } from '../../api/create-task.ts';
import { isUploadMissing } from '../../api/upload-video.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { draftFacts, toCreateRequest } from '../../editor/to-create-request.ts';
import { motionControlFacts, toMotionControlRequest } from '../../editor/to-motion-control-request.ts';

export interface GenerateOptions {
  /** Builds the motion brush's masks (only called when the Motion brush tab is active). */
  buildBrushFields?: () => Promise<MotionBrushFields>;
  onCreated?(task: StudioTask): void;
  /** The backend no longer has the reference video's upload (uploads last a day); its issue, word for word. */
  onUploadMissing?(issue: Violation | undefined): void;
}

/**
 * Generate: builds the request from the draft (masks included), checks it once more with the contract,
 * then posts it — to `/api/tasks`, or to `/api/motion-control` from the Reference video tab. The draft is
 * never touched, so a failed submit loses nothing; the backend's issues are kept until the creator edits
 * the draft.
 */
export function useGenerate({ buildBrushFields, onCreated, onUploadMissing }: GenerateOptions = {}) {
  const [preflight, setPreflight] = useState<{ message: string; issues: Violation[] } | null>(null);
  const [building, setBuilding] = useState(false);
  const mutation = useCreateStudioTask({ create: createStudioTask, onCreated });

  // Any edit makes a failed answer stale: its field messages would point at values that changed.
  // (A success stays on screen: the creator may tweak the prompt and generate again.)
  const latest = useRef(mutation);
  latest.current = mutation;
  useEffect(
    () =>
      useEditorStore.subscribe((s, prev) => {
        if (s === prev) return;
        if (latest.current.isError) latest.current.reset();
        setPreflight(null);
      }),
    [],
  );

  async function submit(draft: Draft) {
    setPreflight(null);
    mutation.reset();
    if (draft.motionTab === 'reference') return submitMotionControl(draft);
    let brush: MotionBrushFields | undefined;
    if (draft.motionTab === 'brush' && buildBrushFields) {
      setBuilding(true);
      try {
        brush = await buildBrushFields();
      } catch (err) {
        setPreflight({
          message: `The motion brush masks could not be built: ${err instanceof Error ? err.message : String(err)}`,
          issues: [],
        });
        return;
      } finally {
        setBuilding(false);
      }
    }
    const request = toCreateRequest(draft, brush);
    const { violations } = validateRequest(request, { strictKeys: true, facts: draftFacts(draft) });
    if (violations.length) {
      setPreflight({ message: 'The request is not valid yet.', issues: violations });
      return;
    }
    mutation.mutate({ kind: 'image2video', request });
  }

  function submitMotionControl(draft: Draft) {
    const request = toMotionControlRequest(draft, newExternalTaskId());
    const { violations } = validateMotionControl(request, {
      strictKeys: true,
      audience: 'studio',
      facts: motionControlFacts(draft),
    });
    if (violations.length) {
      setPreflight({ message: 'The request is not valid yet.', issues: violations });
      return;
    }
    mutation.mutate(
      { kind: 'motion-control', request },
      {
        onError: (err) => {
          if (!isUploadMissing(err)) return;
          const issues = err instanceof ApiError ? err.issues : [];
          onUploadMissing?.(issues.find((i) => i.rule === 'upload_missing'));
        },
      },
    );
  }

  const error = mutation.error;
  const apiError = error instanceof ApiError ? error : undefined;
  return {
    submit,
    pending: building || mutation.isPending,
    created: mutation.data,
    /** A message for the whole submit, when it failed. */
    errorMessage: preflight?.message ?? (error ? error.message : undefined),
    /** Field-level issues from the backend (or the final pre-flight check). */
    issues: preflight?.issues ?? apiError?.issues ?? [],
    upstreamCode: apiError?.upstreamCode,
  };
}

export type Generate = ReturnType<typeof useGenerate>;
