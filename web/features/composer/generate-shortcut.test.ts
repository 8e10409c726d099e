import { describe, expect, it } from 'vitest';
import { insideDialog, isGenerateShortcut } from './generate-shortcut.ts';

const key = (over: Partial<Parameters<typeof isGenerateShortcut>[0]>) => ({
  key: 'Enter',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  ...over,
});

describe('isGenerateShortcut', () => {
  it('Ctrl+Enter and Cmd+Enter', () => {
    expect(isGenerateShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isGenerateShortcut(key({ metaKey: true }))).toBe(true);
  });

  it('not Enter alone, with Shift or Alt, held down, or while an input method composes', () => {
    expect(isGenerateShortcut(key({}))).toBe(false);
    expect(isGenerateShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isGenerateShortcut(key({ ctrlKey: true, altKey: true }))).toBe(false);
    expect(isGenerateShortcut(key({ ctrlKey: true, repeat: true }))).toBe(false);
    expect(isGenerateShortcut(key({ ctrlKey: true, isComposing: true }))).toBe(false);
    expect(isGenerateShortcut(key({ ctrlKey: true, key: 'a' }))).toBe(false);
  });
});

describe('insideDialog', () => {
  it('a target inside a dialog or an alertdialog keeps the shortcut to itself', () => {
    document.body.innerHTML =
      '<div role="dialog"><button id="a"></button></div><div role="alertdialog"><button id="b"></button></div><textarea id="c"></textarea>';
    expect(insideDialog(document.getElementById('a'))).toBe(true);
    expect(insideDialog(document.getElementById('b'))).toBe(true);
    expect(insideDialog(document.getElementById('c'))).toBe(false);
    expect(insideDialog(null)).toBe(false);
  });
});
