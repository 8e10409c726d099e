import { useEffect, useRef } from 'react';
import { useCapabilities } from '../../api/capabilities.ts';
import { useEditorStore } from '../../editor/editor-store.ts';
import { setNoticeRate } from '../../editor/setup-change.ts';
import { PromptFields } from './prompt-fields.tsx';
import { ReferenceSetupFields } from './reference-setup-fields.tsx';
import { SetupFields } from './setup-fields.tsx';
import { SoundVoices } from './sound-voices.tsx';
import './settings.css';

/**
 * Everything about the generation that is not a frame or a motion. The Reference video tab (motion
 * control) has fields of its own: its models and modes, a prompt, and no duration, negative prompt,
 * cfg_scale or voices (the clip's sound is a switch in the tab).
 */
export function SettingsPanel() {
  const promptRef = useRef<HTMLTextAreaElement | null>(null);
  const reference = useEditorStore((s) => s.motionTab === 'reference');
  const { usdPerUnit } = useCapabilities();
  // The notices of forced switches say their money at the rate the studio serves.
  useEffect(() => setNoticeRate(usdPerUnit), [usdPerUnit]);
  if (reference)
    return (
      <div className="settings">
        <ReferenceSetupFields />
        <PromptFields promptRef={promptRef} motionControl />
      </div>
    );
  return (
    <div className="settings">
      <SetupFields />
      <PromptFields promptRef={promptRef} />
      <SoundVoices promptRef={promptRef} />
    </div>
  );
}
