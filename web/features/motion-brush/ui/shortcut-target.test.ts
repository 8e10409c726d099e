import { afterEach, describe, expect, it } from 'vitest';
import { isTyping, type KeyScope, keyIsEditors, spaceIsPan } from './shortcut-target.ts';

function page() {
  const editor = document.createElement('div');
  const canvas = document.createElement('div');
  const slider = Object.assign(document.createElement('input'), { type: 'range' });
  const button = document.createElement('button');
  editor.append(canvas, slider, button);
  const elsewhere = document.createElement('button');
  const text = document.createElement('input');
  const select = document.createElement('select');
  const dialog = document.createElement('dialog');
  const inDialog = document.createElement('button');
  dialog.append(inDialog);
  dialog.setAttribute('open', '');
  document.body.append(editor, elsewhere, text, select, dialog);
  const scope = (pointerOverCanvas: boolean): KeyScope => ({ editor, canvas, pointerOverCanvas });
  return { editor, canvas, slider, button, elsewhere, text, select, dialog, inDialog, scope };
}

afterEach(() => document.body.replaceChildren());

describe('shortcut targeting', () => {
  it('counts a text field, select or contenteditable as typing, not a slider, checkbox or button', () => {
    const p = page();
    expect(isTyping(p.text)).toBe(true);
    expect(isTyping(p.select)).toBe(true);
    expect(isTyping(Object.assign(document.createElement('input'), { type: 'search' }))).toBe(true);
    expect(isTyping(document.createElement('textarea'))).toBe(true);
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    // jsdom does not compute isContentEditable; a browser does.
    Object.defineProperty(editable, 'isContentEditable', { value: true });
    expect(isTyping(editable)).toBe(true);
    expect(isTyping(p.slider)).toBe(false);
    expect(isTyping(Object.assign(document.createElement('input'), { type: 'checkbox' }))).toBe(false);
    expect(isTyping(p.button)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });

  it('gives the editor keys with focus inside it, wherever the pointer is', () => {
    const p = page();
    for (const t of [p.canvas, p.slider, p.button]) expect(keyIsEditors(t, p.scope(false))).toBe(true);
    expect(keyIsEditors(p.elsewhere, p.scope(false))).toBe(false);
    expect(keyIsEditors(document.body, p.scope(false))).toBe(false);
  });

  it('gives the editor keys with the pointer over the canvas and focus anywhere but a field or another dialog', () => {
    const p = page();
    expect(keyIsEditors(p.elsewhere, p.scope(true))).toBe(true);
    expect(keyIsEditors(document.body, p.scope(true))).toBe(true);
    expect(keyIsEditors(null, p.scope(true))).toBe(true);
    expect(keyIsEditors(p.text, p.scope(true))).toBe(false);
    expect(keyIsEditors(p.select, p.scope(true))).toBe(false);
    expect(keyIsEditors(p.inDialog, p.scope(true))).toBe(false);
  });

  it('still serves an editor that is itself inside a dialog', () => {
    const p = page();
    p.dialog.append(p.editor);
    expect(keyIsEditors(p.inDialog, p.scope(true))).toBe(true);
    expect(keyIsEditors(p.button, p.scope(false))).toBe(true);
  });

  it('pans on Space over the canvas or with the canvas focused; a focused editor button keeps its Space otherwise', () => {
    const p = page();
    expect(spaceIsPan(p.canvas, p.scope(false))).toBe(true);
    expect(spaceIsPan(p.button, p.scope(true))).toBe(true);
    expect(spaceIsPan(p.elsewhere, p.scope(true))).toBe(true);
    expect(spaceIsPan(p.button, p.scope(false))).toBe(false);
    expect(spaceIsPan(p.elsewhere, p.scope(false))).toBe(false);
    expect(spaceIsPan(p.text, p.scope(true))).toBe(false);
  });
});
