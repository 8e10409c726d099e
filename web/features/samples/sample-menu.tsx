import { useEffect, useId, useRef, useState } from 'react';
import { renderScenePng } from './render-scene.ts';
import { SCENES, type Scene } from './scenes.ts';

export interface PickedSample {
  bytes: Uint8Array;
  fileName: string;
  prompt: string;
}

interface SampleMenuProps {
  onPick(sample: PickedSample): void;
  /**
   * There is no picture yet: the button is the page's obvious start, and a press loads the first sample at
   * once (ready to Generate), then lists the others in case another suits better.
   */
  quickStart?: boolean;
}

/** Rendered once per page: the PNG bytes and an object URL for the thumbnail. */
const cache = new Map<string, Promise<{ bytes: Uint8Array; url: string }>>();
function rendered(scene: Scene) {
  let p = cache.get(scene.id);
  if (!p) {
    p = renderScenePng(scene).then((bytes) => ({
      bytes,
      url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' })),
    }));
    cache.set(scene.id, p);
  }
  return p;
}

/** "Try a sample": built-in start frames, so a demo starts in one click. */
export function SampleMenu({ onPick, quickStart = false }: SampleMenuProps) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [thumbs, setThumbs] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    for (const s of SCENES)
      rendered(s)
        .then((r) => live && setThumbs((t) => ({ ...t, [s.id]: r.url })))
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => {
      live = false;
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);

  async function load(scene: Scene) {
    const { bytes } = await rendered(scene);
    onPick({ bytes, fileName: `${scene.id}.png`, prompt: scene.prompt });
  }

  async function pick(scene: Scene) {
    try {
      await load(scene);
      setLoaded(null);
      setOpen(false);
      button.current?.focus();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  function toggle() {
    if (open || !quickStart) return setOpen((o) => !o);
    setOpen(true);
    const first = SCENES[0]!;
    load(first)
      .then(() => setLoaded(first.name))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the menu from anywhere inside it
    <div
      className="samples"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={quickStart ? 'button button--primary' : 'button button--accent'}
        aria-expanded={open}
        aria-controls={`${id}-list`}
        onClick={toggle}
      >
        Try a sample
      </button>
      {open && (
        <div id={`${id}-list`} className="samples__panel">
          <p className="samples__title" aria-live="polite">
            {loaded
              ? `Loaded “${loaded}” with a prompt that suits it. Or pick another:`
              : 'Start from a built-in picture'}
          </p>
          <ul className="samples__list">
            {SCENES.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="samples__item"
                  aria-current={loaded === s.name ? 'true' : undefined}
                  onClick={() => void pick(s)}
                >
                  <span className="samples__thumb" style={{ aspectRatio: `${s.width} / ${s.height}` }}>
                    {thumbs[s.id] && <img src={thumbs[s.id]} alt="" />}
                  </span>
                  <span className="samples__name">{s.name}</span>
                  <span className="samples__meta">
                    {s.width}×{s.height} PNG
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {error && (
            <p className="field-issues" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
