import { Activity, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCapabilities } from '../api/capabilities.ts';
import { FieldIssuesProvider } from '../components/field-issues.tsx';
import { showNotice } from '../components/notices.tsx';
import { Tabs } from '../components/tabs.tsx';
import { checkDraft } from '../editor/check-draft.ts';
import { MOTION_TAB_LABELS, MOTION_TABS, type MotionTab } from '../editor/draft-types.ts';
import { draftOf, useDraftHydrated, useEditorStore } from '../editor/editor-store.ts';
import { nonZeroAxes } from '../features/camera/camera-motion.ts';
import { CameraPanel } from '../features/camera/camera-panel.tsx';
import { ActionBar } from '../features/composer/action-bar.tsx';
import { batchOffer } from '../features/composer/batch-plan.ts';
import { RequestPreview } from '../features/composer/request-preview.tsx';
import { SummaryPanel } from '../features/composer/summary-panel.tsx';
import { useGenerate } from '../features/composer/use-generate.ts';
import type { DroppedPictures } from '../features/frames/batch-pictures.ts';
import { EndFramePanel } from '../features/frames/end-frame-panel.tsx';
import { FramePicker } from '../features/frames/frame-picker.tsx';
import { frameFromBytes } from '../features/frames/ingest.ts';
import { useFrameSrc } from '../features/frames/use-frame-src.ts';
import {
  clipExpired,
  ReferencePanel,
  useClipDurationMs,
  useReferenceViolations,
} from '../features/reference-video/index.ts';
import { type PickedSample, SampleMenu } from '../features/samples/sample-menu.tsx';
import { SettingsPanel } from '../features/settings/settings-panel.tsx';
import { StoryboardSection } from '../features/storyboard/index.ts';
import { AfterPaint } from './after-paint.tsx';
import { isFirstVisit, rememberDraft } from './first-visit.ts';
import { type BrushImage, MotionBrushSlot, useMotionBrushPort } from './motion-brush-slot.tsx';
import { motionSummary } from './motion-summary.ts';
import { TasksSlot } from './tasks-slot.tsx';

/**
 * The studio once the stored draft is loaded; until then a skeleton of the same shape (no jump). The
 * workspace is rendered hidden meanwhile (React's Activity: no effects, nothing on screen), so the time
 * IndexedDB takes to answer builds it, and showing the creator's draft is an update rather than a mount.
 * A first visit has no draft to wait for: the workspace shows at once (the store keeps what is edited
 * before IndexedDB answers that nothing is stored).
 */
export function Studio() {
  const hydrated = useDraftHydrated();
  const [firstVisit] = useState(isFirstVisit);
  // Any change to the draft (the stored draft arriving included) means the next visit may have one.
  useEffect(() => useEditorStore.subscribe(() => rememberDraft()), []);
  const shown = hydrated || firstVisit;
  return (
    <>
      <Activity mode={shown ? 'visible' : 'hidden'}>
        <Workspace />
      </Activity>
      {!shown && <WorkspaceSkeleton />}
    </>
  );
}

function WorkspaceSkeleton() {
  return (
    <main className="workspace" aria-busy="true">
      <div className="ws-inputs">
        <div className="card skeleton" style={{ height: 380 }} />
      </div>
      <div className="ws-canvas">
        <div className="card skeleton" style={{ height: 420 }} />
      </div>
      <div className="ws-settings">
        <div className="card skeleton" style={{ height: 520 }} />
      </div>
    </main>
  );
}

/** What the studio does, in the time a first visitor gives it; shown until there is a picture. */
function Intro() {
  return (
    <div className="intro">
      <p className="intro__title">Turn a still picture into a short video.</p>
      <ol className="intro__steps">
        <li>Pick a start frame, or try a sample.</li>
        <li>Say how it moves: a prompt, a brush, the camera or a reference video.</li>
        <li>Generate. The video appears in Tasks.</li>
      </ol>
    </div>
  );
}

function Workspace() {
  const draft = useEditorStore(useShallow(draftOf));
  const setMotionTab = useEditorStore((s) => s.setMotionTab);
  const setFrame = useEditorStore((s) => s.setFrame);
  const setPrompt = useEditorStore((s) => s.setPrompt);
  const [lastCreatedId, setLastCreatedId] = useState<string | null>(null);
  const [sampleError, setSampleError] = useState<string | null>(null);

  const start = draft.frames.start;
  const startSrc = useFrameSrc(start);
  const startImage: BrushImage | null = useMemo(
    () =>
      start && startSrc && start.facts && start.facts.width > 0
        ? { src: startSrc, width: start.facts.width, height: start.facts.height }
        : null,
    [start, startSrc],
  );

  const brush = useMotionBrushPort(startImage);
  const referenceViolations = useReferenceViolations();
  const referenceMs = useClipDurationMs();
  const { retiredModels, usdPerUnit } = useCapabilities();
  const check = useMemo(
    () => checkDraft(draft, brush.violations, referenceViolations, retiredModels),
    [draft, brush.violations, referenceViolations, retiredModels],
  );
  const generate = useGenerate({
    buildBrushFields: brush.build,
    onCreated: (t) => setLastCreatedId(t.id),
    onUploadMissing: clipExpired,
  });

  function onSample(s: PickedSample) {
    const r = frameFromBytes(s.bytes, s.fileName, 'start');
    if (!r.ok) return setSampleError(r.violations.map((v) => v.message).join(' '));
    setSampleError(null);
    const before = useEditorStore.getState();
    setFrame('start', r.frame);
    if (!before.prompt.trim()) setPrompt(s.prompt);
    // A first sample is a move that works on any model: the picture and its prompt. A tab left on the
    // brush, the camera or a reference video would hold Generate back, so the studio says it moves off it.
    if (!before.frames.start && before.motionTab !== 'frames') {
      const was = before.motionTab;
      setMotionTab('frames');
      showNotice({
        message: `Motion set to ${MOTION_TAB_LABELS.frames}: the sample's prompt describes the move. ${MOTION_TAB_LABELS[was]} keeps its work.`,
        undo: () => useEditorStore.getState().setMotionTab(was),
      });
    }
  }

  /**
   * Several pictures onto the start frame: one task each, asked in the action bar before anything is
   * sent. An empty start frame takes the first picture, so the brush and the camera preview have one.
   */
  function onPictures({ accepted, refused }: DroppedPictures) {
    const first = accepted[0];
    if (first && !useEditorStore.getState().frames.start) {
      setFrame('start', first);
      showNotice({
        message: `The first picture, ${first.name}, is now the start frame: the motion you set goes with every picture.`,
        undo: () => useEditorStore.getState().setFrame('start', null),
      });
    }
    generate.offerBatch(batchOffer(accepted, refused));
  }

  // Tabs other than the active one that hold work: it is kept, just not sent.
  const saved: Record<MotionTab, boolean> = {
    frames: !!draft.frames.end,
    brush: false,
    camera: draft.camera.type !== 'simple' || nonZeroAxes(draft.camera.config).length > 0,
    reference: !!draft.reference.clip,
  };

  return (
    <FieldIssuesProvider server={generate.issues} client={check.violations}>
      <main className="workspace">
        <div className="ws-inputs">
          <section className="card frames-card" aria-label="Frames">
            {!start && <Intro />}
            <FramePicker
              slot="start"
              title="Start frame"
              actions={<SampleMenu onPick={onSample} quickStart={!start} />}
              emptyHint={<p className="muted">No picture at hand? Try a sample.</p>}
              onPictures={onPictures}
            />
            {sampleError && (
              <p className="field-issues" role="alert">
                {sampleError}
              </p>
            )}
          </section>
          <StoryboardSection />
        </div>

        <div className="ws-canvas">
          <section className="card motion" aria-label="Motion">
            <div className="card__header">
              <h2 className="card__title">Motion</h2>
              <span className="muted">one of four — Kling can't combine them</span>
            </div>
            <Tabs<MotionTab>
              label="Motion"
              selected={draft.motionTab}
              onSelect={setMotionTab}
              note={
                <p className="tabs__note">
                  Only the active tab is sent: <strong>{MOTION_TAB_LABELS[draft.motionTab]}</strong>. The
                  other tabs keep their work for later.
                </p>
              }
              items={MOTION_TABS.map((key) => ({
                key,
                label: MOTION_TAB_LABELS[key],
                adornment:
                  key === draft.motionTab ? (
                    <span className="tab-badge tab-badge--active" aria-hidden="true">
                      in use
                    </span>
                  ) : saved[key] ? (
                    <span className="tab-badge" aria-hidden="true">
                      saved
                    </span>
                  ) : null,
                panel:
                  key === 'frames' ? (
                    <EndFramePanel />
                  ) : key === 'brush' ? (
                    <MotionBrushSlot image={startImage} />
                  ) : key === 'camera' ? (
                    <CameraPanel image={startImage} />
                  ) : (
                    <ReferencePanel />
                  ),
              }))}
            />
          </section>
        </div>

        <div className="ws-settings">
          <section className="card" aria-label="Settings">
            <h2 className="card__title">Settings</h2>
            <SettingsPanel />
          </section>
          <SummaryPanel
            draft={draft}
            check={check}
            motionSummary={motionSummary(draft)}
            referenceMs={referenceMs}
            usdPerUnit={usdPerUnit}
          />
          <AfterPaint>
            <RequestPreview draft={draft} buildBrushFields={brush.build} />
          </AfterPaint>
        </div>

        <div className="ws-tasks">
          <AfterPaint fallback={<div className="card skeleton tasks-placeholder" />}>
            <TasksSlot lastCreatedId={lastCreatedId} />
          </AfterPaint>
        </div>
      </main>
      <ActionBar
        draft={draft}
        check={check}
        generate={generate}
        referenceMs={referenceMs}
        usdPerUnit={usdPerUnit}
      />
    </FieldIssuesProvider>
  );
}
