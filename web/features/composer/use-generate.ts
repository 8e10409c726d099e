import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { validateMotionControl } from '../../../contract/rules/validate-motion-control.ts';
import { validateRequest } from '../../../contract/rules/validate-request.ts';
import type { MotionBrushFields } from '../../../contract/schemas/create-request.ts';
import type { StudioTask, Violation } from '../../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../../contract/tasks/external-id.ts';
import { ApiError } from '../../api/client.ts';
import { createStudioTask, type StudioCreate, useCreateStudioTask } from '../../api/create-task.ts';
import { isUploadMissing } from '../../api/upload-video.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { draftFacts, toCreateRequest } from '../../editor/to-create-request.ts';
import { motionControlFacts, toMotionControlRequest } from '../../editor/to-motion-control-request.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { cachedTaskStatus, rememberSent, runningTwin, type SentRequest } from './sent-requests.ts';

export interface GenerateOptions {
  /** Builds the motion brush's masks (only called when the Motion brush tab is active). */
  buildBrushFields?: () => Promise<MotionBrushFields>;
  onCreated?(task: StudioTask): void;
  /** The backend no longer has the reference video's upload (uploads last a day); its issue, word for word. */
  onUploadMissing?(issue: Violation | undefined): void;
}

/** What this tab sent, per QueryClient (one per tab; a test's fresh client starts with nothing sent). */
const sentByClient = new WeakMap<QueryClient, SentRequest[]>();

/** A press that matched a request still running: held until the creator says "Generate anyway" or Cancel. */
export interface PendingConfirm {
  create: StudioCreate;
  /** The running task with the same body. */
  twinId: string;
}

/**
 * Generate: builds the request from the draft (masks included), checks it once more with the contract,
 * then posts it — to `/api/tasks`, or to `/api/motion-control` from the Reference video tab. The draft is
 * never touched, so a failed submit loses nothing; the backend's issues are kept until the creator edits
 * the draft.
 * A body identical to one this tab sent whose task still runs is held as `confirm` instead of sent.
 */
export function useGenerate({ buildBrushFields, onCreated, onUploadMissing }: GenerateOptions = {}) {
  const [preflight, setPreflight] = useState<{ message: string; issues: Violation[] } | null>(null);
  const [building, setBuilding] = useState(false);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const queryClient = useQueryClient();
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
        // The held body no longer matches the draft on screen.
        setConfirm(null);
      }),
    [],
  );

  /** Sends now, and remembers the body so an identical press while it runs asks first. */
  function send(create: StudioCreate) {
    setConfirm(null);
    const fingerprint = requestFingerprint(create);
    mutation.mutate(create, {
      onSuccess: (task) =>
        sentByClient.set(
          queryClient,
          rememberSent(sentByClient.get(queryClient) ?? [], { fingerprint, taskId: task.id }),
        ),
      onError: (err) => {
        if (create.kind !== 'motion-control' || !isUploadMissing(err)) return;
        const issues = err instanceof ApiError ? err.issues : [];
        onUploadMissing?.(issues.find((i) => i.rule === 'upload_missing'));
      },
    });
  }

  /** Sends the checked request, unless an identical one is still running: then it asks first. */
  function sendOrAsk(create: StudioCreate) {
    const twinId = runningTwin(requestFingerprint(create), sentByClient.get(queryClient) ?? [], (id) =>
      cachedTaskStatus(queryClient, id),
    );
    if (twinId) setConfirm({ create, twinId });
    else send(create);
  }

  async function submit(draft: Draft) {
    setPreflight(null);
    setConfirm(null);
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
    sendOrAsk({ kind: 'image2video', request });
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
    sendOrAsk({ kind: 'motion-control', request });
  }

  const error = mutation.error;
  const apiError = error instanceof ApiError ? error : undefined;
  return {
    submit,
    /** Set while an identical request is running and the creator has not answered yet. */
    confirm,
    confirmAnyway: () => confirm && send(confirm.create),
    cancelConfirm: () => setConfirm(null),
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
