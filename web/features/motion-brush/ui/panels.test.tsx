import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beginStroke, commitPath, resetMotionBrush, setImageSize } from '../state/actions.ts';
import { ChecksPanel } from './checks-panel.tsx';
import { MaskList } from './mask-list.tsx';
import { Toolbar } from './toolbar.tsx';

/** The editor's DOM panels in jsdom (the Konva stage needs a real canvas and is covered in e2e). */
beforeEach(() => {
  resetMotionBrush();
  setImageSize({ width: 640, height: 480 });
});
afterEach(cleanup);

const button = (name: string) => screen.getByRole('button', { name });

describe('mask list', () => {
  it('adds dynamic masks up to 6, with a live counter', () => {
    render(<MaskList disabled={false} />);
    expect(screen.getByText('0 / 6')).toBeTruthy();
    for (let i = 0; i < 6; i++) fireEvent.click(button('Add dynamic mask'));
    expect(screen.getByText('6 / 6')).toBeTruthy();
    expect(button('Dynamic mask 6').getAttribute('aria-pressed')).toBe('true');
    expect((button('Add dynamic mask') as HTMLButtonElement).disabled).toBe(true);
  });

  it('creates the static mask once, selects, hides, clears and deletes masks', () => {
    render(<MaskList disabled={false} />);
    fireEvent.click(button('Static mask'));
    fireEvent.click(button('Static mask'));
    expect(screen.getAllByRole('button', { name: 'Static region' })).toHaveLength(1);
    expect((button('Clear Static region') as HTMLButtonElement).disabled).toBe(true);
    act(() => {
      beginStroke('paint', { x: 10, y: 10 })!.commit();
    });
    expect((button('Clear Static region') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(button('Clear Static region'));
    expect(screen.getByText('paint what must stay still')).toBeTruthy();
    const show = screen.getByRole('checkbox', { name: 'Show Static region' }) as HTMLInputElement;
    fireEvent.click(show);
    expect(show.checked).toBe(false);
    fireEvent.click(button('Delete Static region'));
    expect(screen.queryByRole('button', { name: 'Static region' })).toBeNull();
  });
});

describe('toolbar', () => {
  it('marks the active tool and enables Undo once there is something to undo', () => {
    render(<Toolbar disabled={false} maxBrush={200} busy={() => false} />);
    expect(button('Brush').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(button('Eraser'));
    expect(button('Eraser').getAttribute('aria-pressed')).toBe('true');
    expect((button('Undo') as HTMLButtonElement).disabled).toBe(true);
    act(() => {
      beginStroke('paint', { x: 10, y: 10 })!.commit();
    });
    expect((button('Undo') as HTMLButtonElement).disabled).toBe(false);
    const size = screen.getByRole('slider', { name: 'Brush size' }) as HTMLInputElement;
    fireEvent.change(size, { target: { value: '75' } });
    expect(size.value).toBe('75');
  });
});

describe('checks', () => {
  it('lists what blocks a submit, and warns when a path starts off its paint', () => {
    render(<ChecksPanel />);
    expect(screen.getByText(/nothing is painted yet/)).toBeTruthy();
    act(() => {
      const s = beginStroke('paint', { x: 100, y: 100 })!;
      s.commit();
      commitPath(
        s.maskId,
        [],
        [
          { x: 400, y: 400 },
          { x: 500, y: 300 },
        ],
      );
    });
    expect(screen.queryByText(/nothing is painted yet/)).toBeNull();
    expect(screen.getByRole('alert').textContent).toMatch(
      /^Dynamic mask 1: the path starts outside its painted region/,
    );
    act(() => {
      const s = beginStroke('paint', { x: 400, y: 400 })!;
      s.commit();
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
