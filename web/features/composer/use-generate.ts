import { useEffect, useRef, useState } from 'react';
import { validateRequest } from '../../../contract/rules/validate-request.ts';
import type { CreateRequest, MotionBrushFields } from '../../../contract/schemas/create-request.ts';
import type { StudioTask, Violation } from '../../../contract/schemas/studio-api.ts';
import { ApiError } from '../../api/client.ts';
import { useCreateTask } from '../../api/create-task.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { draftFacts, toCreateRequest } from '../../editor/to-create-request.ts';

export interface GenerateOptions {
  /** Builds the motion brush's masks (only called when the Motion brush tab is active). */
  buildBrushFields?: () => Promise<MotionBrushFields>;
  onCreated?(task: StudioTask): void;
}

/**
 * Generate: builds the request from the draft (masks included), checks it once more with the contract,
 * then posts it. The draft is never touched, so a failed submit loses nothing; the backend's issues are
 * kept until the creator edits the draft.
 */
export function useGenerate({ buildBrushFields, onCreated }: GenerateOptions = {}) {
  const [preflight, setPreflight] = useState<{ message: string; issues: Violation[] } | null>(null);
  const [building, setBuilding] = useState(false);
  const mutation = useCreateTask({ toRequest: (request: CreateRequest) => request, onCreated });

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
    mutation.mutate(request);
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
