import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { z } from 'zod';

/** The main window's size and place, remembered between launches (`window-state.json` in the data folder). */
export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 900, height: 620 };

export function loadWindowState(file: string): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/**
 * Where to put the window on this launch: the saved place if enough of it is on a display that exists now (a
 * monitor may have been unplugged), otherwise the saved size centred by the OS, never larger than the work area.
 */
export function placeWindow(saved: WindowState, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | undefined>(
    (best, area) => (!best || area.width * area.height > best.width * best.height ? area : best),
    undefined,
  );
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(saved.width, largest?.width ?? saved.width));
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(saved.height, largest?.height ?? saved.height));
  const sized: WindowState = { width, height, maximized: saved.maximized };
  if (saved.x === undefined || saved.y === undefined) return sized;
  const placed: Rect = { x: saved.x, y: saved.y, width, height };
  const visible = workAreas.some(
    (area) => overlap(area, placed) >= 0.5 * Math.min(width * height, area.width * area.height),
  );
  return visible ? { ...sized, x: saved.x, y: saved.y } : sized;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
