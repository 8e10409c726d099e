import { useRef } from 'react';
import { PromptFields } from './prompt-fields.tsx';
import { SetupFields } from './setup-fields.tsx';
import { SoundVoices } from './sound-voices.tsx';

/** Everything about the generation that is not a frame or a motion. */
export function SettingsPanel() {
  const promptRef = useRef<HTMLTextAreaElement | null>(null);
  return (
    <div className="settings">
      <SetupFields />
      <PromptFields promptRef={promptRef} />
      <SoundVoices promptRef={promptRef} />
    </div>
  );
}
