import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { validateMotionControl } from '../../../contract/rules/validate-motion-control.ts';
import { validateRequest } from '../../../contract/rules/validate-request.ts';
import type { MotionBrushFields } from '../../../contract/schemas/create-request.ts';
import type { BatchRequest, StudioTask, Violation } from '../../../contract/schemas/studio-api.ts';
import { newExternalTaskId } from '../../../contract/tasks/external-id.ts';
import { useCreateBatch } from '../../api/batch.ts';
import { ApiError } from '../../api/client.ts';
import { createStudioTask, type StudioCreate, useCreateStudioTask } from '../../api/create-task.ts';
import { queueKeys } from '../../api/queue.ts';
import { isUploadMissing } from '../../api/upload-video.ts';
import type { Draft } from '../../editor/draft-types.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { draftFacts, toCreateRequest } from '../../editor/to-create-request.ts';
import { motionControlFacts, toMotionControlRequest } from '../../editor/to-motion-control-request.ts';
import { type BatchOffer, batchBody, namePictures, refusalLines, takesBody } from './batch-plan.ts';
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
  /** How many takes the held press makes. */
  takes: number;
}

export interface PressOptions {
  /** Identical takes of the request in one press (image-to-video only; the Reference video tab makes one). */
  takes?: number;
}

/**
 * Generate: builds the request from the draft (masks included), checks it once more with the contract,
 * then posts it — to `/api/tasks`, or to `/api/motion-control` from the Reference video tab. The draft is
 * never touched, so a failed submit loses nothing; the backend's issues are kept until the creator edits
 * the draft.
 * A body identical to one this tab sent whose task still runs is held as `confirm` instead of sent.
 * Several takes go to `/api/tasks/batch` with `count`; several pictures dropped onto the start frame are
 * held as `batchOffer` until the creator says Generate (one task each, `/api/tasks/batch` with `images`).
 */
export function useGenerate({ buildBrushFields, onCreated, onUploadMissing }: GenerateOptions = {}) {
  const [preflight, setPreflight] = useState<{ message: string; issues: Violation[] } | null>(null);
  const [building, setBuilding] = useState(false);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const [batchOffer, setBatchOffer] = useState<BatchOffer | null>(null);
  /** Which endpoint the last press went to: its answer is the one on screen. */
  const [last, setLast] = useState<'one' | 'batch'>('one');
  /** The pictures of the batch last sent, by index: the studio's refusals name them by index. */
  const [sentNames, setSentNames] = useState<readonly string[]>([]);
  const queryClient = useQueryClient();
  const mutation = useCreateStudioTask({ create: createStudioTask, onCreated });
  const batch = useCreateBatch({
    onCreated: (answer) => answer.tasks[0] && onCreated?.(answer.tasks[0]),
  });

  // Any edit makes a failed answer stale: its field messages would point at values that changed.
  // (A success stays on screen: the creator may tweak the prompt and generate again.)
  const latest = useRef({ mutation, batch });
  latest.current = { mutation, batch };
  useEffect(
    () =>
      useEditorStore.subscribe((s, prev) => {
        if (s === prev) return;
        for (const m of Object.values(latest.current)) if (m.isError) m.reset();
        setPreflight(null);
        // The held body no longer matches the draft on screen.
        setConfirm(null);
      }),
    [],
  );

  /** Remembers what a press sent, so an identical press while one of its tasks runs asks first. */
  function remember(fingerprint: string, tasks: readonly StudioTask[]) {
    let sent = sentByClient.get(queryClient) ?? [];
    for (const task of tasks) sent = rememberSent(sent, { fingerprint, taskId: task.id });
    sentByClient.set(queryClient, sent);
  }

  // A refusal may be the budget's, and a create moves the counts: the queue is worth reading again.
  const readQueueAgain = () => void queryClient.invalidateQueries({ queryKey: queueKeys.all });

  /** `fingerprint` when the batch is takes of one request: its tasks are remembered like a single press's. */
  function sendBatch(
    body: BatchRequest,
    {
      names = [],
      fingerprint,
      onSuccess,
    }: { names?: readonly string[]; fingerprint?: string; onSuccess?: () => void },
  ) {
    setLast('batch');
    mutation.reset();
    setSentNames(names);
    batch.mutate(body, {
      onSuccess: (answer) => {
        if (fingerprint) remember(fingerprint, answer.tasks);
        onSuccess?.();
      },
    });
  }

  /** Sends now (one task, or `takes` identical ones), and remembers the body. */
  function send(create: StudioCreate, takes = 1) {
    setConfirm(null);
    const fingerprint = requestFingerprint(create);
    if (takes > 1 && create.kind === 'image2video')
      return sendBatch(takesBody(create.request, takes), { fingerprint });
    setLast('one');
    batch.reset();
    mutation.mutate(create, {
      onSuccess: (task) => remember(fingerprint, [task]),
      onError: (err) => {
        if (create.kind !== 'motion-control' || !isUploadMissing(err)) return;
        const issues = err instanceof ApiError ? err.issues : [];
        onUploadMissing?.(issues.find((i) => i.rule === 'upload_missing'));
      },
      onSettled: readQueueAgain,
    });
  }

  /** Sends the checked request, unless an identical one is still running: then it asks first. */
  function sendOrAsk(create: StudioCreate, takes: number) {
    const twinId = runningTwin(requestFingerprint(create), sentByClient.get(queryClient) ?? [], (id) =>
      cachedTaskStatus(queryClient, id),
    );
    if (twinId) setConfirm({ create, twinId, takes });
    else send(create, takes);
  }

  /** The motion brush's masks and paths, or null when they could not be built (said as a preflight). */
  async function brushFieldsOf(draft: Draft): Promise<MotionBrushFields | undefined | null> {
    if (draft.motionTab !== 'brush' || !buildBrushFields) return undefined;
    setBuilding(true);
    try {
      return await buildBrushFields();
    } catch (err) {
      setPreflight({
        message: `The motion brush masks could not be built: ${err instanceof Error ? err.message : String(err)}`,
        issues: [],
      });
      return null;
    } finally {
      setBuilding(false);
    }
  }

  async function submit(draft: Draft, { takes = 1 }: PressOptions = {}) {
    setPreflight(null);
    setConfirm(null);
    mutation.reset();
    batch.reset();
    if (draft.motionTab === 'reference') return submitMotionControl(draft);
    const brush = await brushFieldsOf(draft);
    if (brush === null) return;
    const request = toCreateRequest(draft, brush);
    const { violations } = validateRequest(request, { strictKeys: true, facts: draftFacts(draft) });
    if (violations.length) {
      setPreflight({ message: 'The request is not valid yet.', issues: violations });
      return;
    }
    sendOrAsk({ kind: 'image2video', request }, takes);
  }

  /**
   * The held batch drop, with the draft's motion as it stands now: one task per picture. The request is
   * checked once more with the first picture in the start frame's place (each picture's own rules were
   * checked at the drop, and the studio checks every one again). The offer stays until the studio has
   * the tasks, so a refused press (the budget, say) can be pressed again.
   */
  async function generateBatch(draft: Draft) {
    const offer = batchOffer;
    const first = offer?.pictures[0];
    if (!offer || !first) return;
    setPreflight(null);
    setConfirm(null);
    const brush = await brushFieldsOf(draft);
    if (brush === null) return;
    const request = toCreateRequest(draft, brush);
    const { violations } = validateRequest(
      { ...request, image: 'AAAA' },
      { strictKeys: true, facts: { ...draftFacts(draft), image: first.facts } },
    );
    if (violations.length) {
      setPreflight({ message: 'The request is not valid yet.', issues: violations });
      return;
    }
    const names = offer.pictures.map((p) => p.name);
    sendBatch(batchBody(request, offer.pictures), { names, onSuccess: () => setBatchOffer(null) });
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
    sendOrAsk({ kind: 'motion-control', request }, 1);
  }

  const error = last === 'one' ? mutation.error : batch.error;
  const apiError = error instanceof ApiError ? error : undefined;
  const named = (text: string) => (last === 'batch' ? namePictures(text, sentNames) : text);
  return {
    submit,
    /** Set while an identical request is running and the creator has not answered yet. */
    confirm,
    confirmAnyway: () => confirm && send(confirm.create, confirm.takes),
    cancelConfirm: () => setConfirm(null),
    /** Several pictures dropped onto the start frame, held until Generate or Cancel. */
    batchOffer,
    offerBatch: (offer: BatchOffer) => {
      batch.reset();
      setBatchOffer(offer);
    },
    cancelBatch: () => setBatchOffer(null),
    generateBatch,
    pending: building || mutation.isPending || batch.isPending,
    /** The task the last press made (a batch's first). */
    created: last === 'one' ? mutation.data : batch.data?.tasks[0],
    /** Every task of the last press when it went as a batch (takes, or one per picture). */
    createdTasks: last === 'batch' ? batch.data?.tasks : undefined,
    /** The pictures of the last batch the studio refused, each by name with its rule. */
    refusals: last === 'batch' && batch.data ? refusalLines(batch.data.refused, sentNames) : [],
    /** A message for the whole submit, when it failed. */
    errorMessage: preflight?.message ?? (error ? named(error.message) : undefined),
    /** Field-level issues from the backend (or the final pre-flight check). */
    issues: preflight?.issues ?? (apiError?.issues ?? []).map((i) => ({ ...i, message: named(i.message) })),
    upstreamCode: apiError?.upstreamCode,
  };
}

export type Generate = ReturnType<typeof useGenerate>;
