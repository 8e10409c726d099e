import { BRUSH_MIN } from '../model/brush-size.ts';
import type { Tool } from '../model/types.ts';
import { redo, setBrushSize, setTool, undo } from '../state/actions.ts';
import { useMotionBrushStore } from '../state/store.ts';

const TOOLS: { tool: Tool; label: string; key: string; hint: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B', hint: 'paint the selected mask' },
  { tool: 'eraser', label: 'Eraser', key: 'E', hint: 'erase from the selected mask only' },
  {
    tool: 'trajectory',
    label: 'Trajectory',
    key: 'T',
    hint: "draw or edit the selected dynamic mask's path",
  },
  { tool: 'hand', label: 'Hand', key: 'H', hint: 'drag to pan (or hold Space with any tool)' },
];

interface Props {
  disabled: boolean;
  /** Largest brush offered: a quarter of the frame's longer side. */
  maxBrush: number;
  busy: () => boolean;
}

/** Tools, brush size and history. Each tool button says its shortcut; pressed state is aria-pressed. */
export function Toolbar({ disabled, maxBrush, busy }: Props) {
  const tool = useMotionBrushStore((s) => s.tool);
  const brushSize = useMotionBrushStore((s) => s.brushSize);
  const canUndo = useMotionBrushStore((s) => s.canUndo);
  const canRedo = useMotionBrushStore((s) => s.canRedo);
  const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';
  return (
    <div className="mb-toolbar" role="toolbar" aria-label="Mask tools">
      <div className="mb-group">
        {TOOLS.map((t) => (
          <button
            key={t.tool}
            type="button"
            className={`button mb-tool${tool === t.tool ? ' mb-tool--on' : ''}`}
            aria-pressed={tool === t.tool}
            aria-keyshortcuts={t.key}
            title={`${t.label} (${t.key}) — ${t.hint}`}
            disabled={disabled}
            onClick={() => setTool(t.tool)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <label className="mb-size" title="Brush diameter in the frame's own pixels ([ and ] change it)">
        <span>Brush size</span>
        <input
          type="range"
          min={BRUSH_MIN}
          max={Math.max(maxBrush, brushSize)}
          value={brushSize}
          aria-valuetext={`${brushSize} pixels`}
          aria-keyshortcuts="[ ]"
          disabled={disabled}
          onChange={(e) => setBrushSize(Number(e.currentTarget.value))}
        />
        <output className="mb-mono" aria-hidden="true">
          {brushSize} px
        </output>
      </label>
      <div className="mb-group">
        <button
          type="button"
          className="button"
          aria-keyshortcuts="Control+Z Meta+Z"
          title={`Undo (${mod}Z)`}
          disabled={disabled || !canUndo}
          onClick={() => !busy() && undo()}
        >
          Undo
        </button>
        <button
          type="button"
          className="button"
          aria-keyshortcuts="Shift+Control+Z Shift+Meta+Z"
          title={`Redo (Shift+${mod}Z)`}
          disabled={disabled || !canRedo}
          onClick={() => !busy() && redo()}
        >
          Redo
        </button>
      </div>
    </div>
  );
}
