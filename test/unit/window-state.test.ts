import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  loadWindowState,
  placeWindow,
  saveWindowState,
} from '../../main/electron/window-state.ts';
import { tempDir } from '../support/temp.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('the remembered window place', () => {
  it('comes back where it was when that display is still there', () => {
    const saved = { x: 1600, y: 100, width: 1300, height: 900, maximized: false };
    expect(placeWindow(saved, [laptop, monitor])).toEqual(saved);
  });

  it('is left to the OS to centre when its display has been unplugged', () => {
    const saved = { x: 1600, y: 100, width: 1300, height: 900, maximized: true };
    expect(placeWindow(saved, [laptop])).toEqual({ width: 1300, height: 900, maximized: true });
  });

  it('never opens larger than the largest screen, nor smaller than the app can be used at', () => {
    expect(placeWindow({ width: 5000, height: 3000, maximized: false }, [laptop])).toEqual({
      width: 1440,
      height: 900,
      maximized: false,
    });
    expect(placeWindow({ width: 400, height: 300, maximized: false }, [laptop])).toMatchObject({
      width: 900,
      height: 620,
    });
  });

  it('survives a missing or damaged state file', () => {
    const dir = tempDir();
    expect(loadWindowState(join(dir, 'missing.json'))).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(join(dir, 'bad.json'), '{"width": "wide"');
    expect(loadWindowState(join(dir, 'bad.json'))).toEqual(DEFAULT_WINDOW_STATE);
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
