/** The contract's events: every event main pushes to the renderer, and its payload's schema. */
import { z } from 'zod';
import { MenuCommand, RunProgress } from './sending.ts';
import { Progress, Settings, TaskFinished, TaskStarted } from './values.ts';

/** Every event main pushes to the renderer. */
export const events = {
  /** Preferences changed (in this window or another). */
  settingsChanged: Settings,
  /** A long-running task moved forward. */
  progress: Progress,
  /** A long-running task ended. */
  taskFinished: TaskFinished,
  /** A run moved forward or changed state. */
  runProgress: RunProgress,
  /** Main started reading a file the user chose outside the page (File › Open… in the desktop app). */
  fileLoadStarted: TaskStarted.extend({ name: z.string() }),
  /** The application menu asked for something. */
  menuCommand: MenuCommand,
  /** The app was started again on the same data folder; that start handed over to this one and opened nothing. */
  secondStart: z.object({}).strict(),
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
