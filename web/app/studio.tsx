import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCapabilities } from '../api/capabilities.ts';
import { FieldIssuesProvider } from '../components/field-issues.tsx';
import { Tabs } from '../components/tabs.tsx';
import { checkDraft } from '../editor/check-draft.ts';
import { MOTION_TAB_LABELS, MOTION_TABS, type MotionTab } from '../editor/draft-types.ts';
import { draftOf, useDraftHydrated, useEditorStore } from '../editor/editor-store.ts';
import { nonZeroAxes } from '../features/camera/camera-motion.ts';
import { CameraPanel } from '../features/camera/camera-panel.tsx';
import { RequestPreview } from '../features/composer/request-preview.tsx';
import { SubmitPanel } from '../features/composer/submit-panel.tsx';
import { useGenerate } from '../features/composer/use-generate.ts';
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
import { type BrushImage, MotionBrushSlot, useMotionBrushPort } from './motion-brush-slot.tsx';
import { motionSummary } from './motion-summary.ts';
import { TasksSlot } from './tasks-slot.tsx';

/** The studio once the stored draft is loaded; until then a skeleton of the same shape (no jump). */
export function Studio() {
  const hydrated = useDraftHydrated();
  return hydrated ? <Workspace /> : <WorkspaceSkeleton />;
}

function WorkspaceSkeleton() {
  return (
    <main className="workspace" aria-busy="true">
      <div className="stage">
        <div className="card skeleton" style={{ height: 420 }} />
        <div className="card skeleton" style={{ height: 260 }} />
      </div>
      <div className="side">
        <div className="card skeleton" style={{ height: 520 }} />
      </div>
    </main>
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
    setFrame('start', r.frame);
    if (!useEditorStore.getState().prompt.trim()) setPrompt(s.prompt);
  }

  const kept: Record<MotionTab, boolean> = {
    frames: !!draft.frames.end,
    brush: false,
    camera: draft.camera.type !== 'simple' || nonZeroAxes(draft.camera.config).length > 0,
    reference: !!draft.reference.clip,
  };

  return (
    <FieldIssuesProvider server={generate.issues} client={check.violations}>
      <main className="workspace">
        <div className="stage">
          <section className="card" aria-label="Frames">
            <FramePicker
              slot="start"
              title="Start frame"
              actions={<SampleMenu onPick={onSample} />}
              emptyHint={<p className="muted">No picture at hand? Try a sample.</p>}
            />
            {sampleError && (
              <p className="field-issues" role="alert">
                {sampleError}
              </p>
            )}
          </section>

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
                  other tabs keep their work but are not submitted.
                </p>
              }
              items={MOTION_TABS.map((key) => ({
                key,
                label: MOTION_TAB_LABELS[key],
                adornment:
                  key === draft.motionTab ? (
                    <span className="tab-badge tab-badge--sent" aria-hidden="true">
                      sent
                    </span>
                  ) : kept[key] ? (
                    <span className="tab-badge" aria-hidden="true">
                      kept
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
          <StoryboardSection />
        </div>

        <div className="side">
          <section className="card" aria-label="Settings">
            <h2 className="card__title">Settings</h2>
            <SettingsPanel />
          </section>
          <SubmitPanel
            draft={draft}
            check={check}
            generate={generate}
            motionSummary={motionSummary(draft)}
            referenceMs={referenceMs}
            usdPerUnit={usdPerUnit}
          />
          <RequestPreview draft={draft} buildBrushFields={brush.build} />
        </div>

        <div className="tasks-area">
          <TasksSlot lastCreatedId={lastCreatedId} />
        </div>
      </main>
    </FieldIssuesProvider>
  );
}
