/**
 * The names of the contract, without its schemas: what the Electron preload needs to expose the bridge. The
 * preload is bundled into one sandboxed file, so it must not import `contract.ts` (which pulls zod and the
 * engine's readers in). `contract.ts` checks at compile time that these lists name exactly its calls and events:
 * a call added there without its name here does not build.
 */

/** Every call of the contract, by name (`calls` in `contract.ts`). */
export const CALL_NAME_LIST = [
  'getAppInfo',
  'getSettings',
  'updateSettings',
  'listRuns',
  'loadFile',
  'rereadFile',
  'openRecentFile',
  'cancelTask',
  'getFile',
  'getRows',
  'getMapping',
  'saveMapping',
  'sampleMapping',
  'listTemplates',
  'saveTemplate',
  'deleteTemplate',
  'templateOffers',
  'exportTemplate',
  'importTemplate',
  'startPreview',
  'getPreview',
  'listProblems',
  'listBatches',
  'listPreviewRows',
  'editCell',
  'setRowsExcluded',
  'exportBatches',
  'getBatch',
  'startSend',
  'resumeRun',
  'replaceRunToken',
  'pauseSend',
  'resumeSend',
  'cancelSend',
  'getRunProgress',
  'listRejected',
  'getRunDetails',
  'listRunRows',
  'listRunBatches',
  'getRunBatch',
  'planRerun',
  'startRerun',
  'adoptRerunFile',
  'exportRun',
  'deleteRun',
  'getRetention',
  'setRetention',
  'getKeychainStatus',
  'listWorkspaces',
  'startPractice',
  'openSample',
  'saveWorkspace',
  'forgetToken',
  'deleteWorkspace',
  'testConnection',
  'resolveAddress',
  'listRecentFiles',
] as const;

/** Every event main pushes, by name (`events` in `contract.ts`). */
export const EVENT_NAME_LIST = [
  'settingsChanged',
  'progress',
  'taskFinished',
  'runProgress',
  'fileLoadStarted',
  'menuCommand',
  'secondStart',
] as const;

/** What the bridge has besides one function per call (see `Bridge` in `contract.ts`). */
export const BRIDGE_EXTRAS = ['prepareFile', 'saveBatches', 'copyText', 'subscribe'] as const;

/** Every key the bridge on `window` has: one per call, and the extras. */
export const BRIDGE_KEYS: readonly string[] = [...CALL_NAME_LIST, ...BRIDGE_EXTRAS];

/** The name under which the Electron preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'vitally';

/** IPC channel names used by the Electron host (the web host uses HTTP routes instead). */
export const IPC_CALL_CHANNEL = 'vitally:call';
export const IPC_EVENT_CHANNEL = 'vitally:event';
/** Copy JSON and the like: the desktop writes the system clipboard from main (the page may ask for no permission). */
export const IPC_CLIPBOARD_CHANNEL = 'vitally:clipboard';

export type ListedEventName = (typeof EVENT_NAME_LIST)[number];

const EVENT_NAME_SET: ReadonlySet<string> = new Set(EVENT_NAME_LIST);

export function isEventNameInList(name: unknown): name is ListedEventName {
  return typeof name === 'string' && EVENT_NAME_SET.has(name);
}
