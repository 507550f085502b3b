import { create } from 'zustand';
import type {
  ColumnSuggestion,
  Mapping,
  MappingProblem,
  MessageExplanation,
  SampleRow,
} from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { useWizard } from './wizard.ts';

interface MapState {
  fileId: string | null;
  /** The columns the mapping and suggestions were loaded for: a re-read with other columns loads them again. */
  columnsKey: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  mapping: Mapping | null;
  suggestions: ColumnSuggestion[];
  /** Why each message of the suggested mapping is there (shown while the message keeps those fields). */
  explanations: MessageExplanation[];
  sample: SampleRow[];
  /** What the mapping still lacks, in plain words. */
  gaps: string[];
  /** What the mapping would drop, merge or hide (errors block Preview), each with its one-click fixes. */
  problems: MappingProblem[];
  /** The computer's time zone, in which date-times without one are read unless the mapping names another. */
  localTimeZone: string | null;
  error: string | null;
  /** Loads the file's mapping; again when its columns changed since (another sheet, encoding, delimiter, header row). */
  load: (fileId: string, columnsKey?: string) => Promise<void>;
  /** Changes the mapping; it is saved and the sample rebuilt at once. */
  update: (change: (mapping: Mapping) => Mapping) => void;
}

let generation = 0;

/** The Map step: the file's mapping, kept in main as it changes, and a live sample of what rows become. */
export const useMap = create<MapState>()((set, get) => {
  const refresh = async () => {
    const { fileId, mapping } = get();
    if (!fileId || !mapping) return;
    const mine = ++generation;
    try {
      const [{ rows, gaps, problems }] = await Promise.all([
        call('sampleMapping', { fileId, mapping, rows: 3 }),
        call('saveMapping', { fileId, mapping }),
      ]);
      if (mine !== generation) return; // A later change has already been sent.
      set({ sample: rows, gaps, problems, error: null });
      useWizard
        .getState()
        .setFacts({ mappingReady: gaps.length === 0 && !problems.some((p) => p.severity === 'error') });
    } catch (error) {
      if (mine === generation) set({ error: messageOf(error) });
    }
  };

  return {
    fileId: null,
    columnsKey: null,
    status: 'idle',
    mapping: null,
    suggestions: [],
    explanations: [],
    sample: [],
    gaps: [],
    problems: [],
    localTimeZone: null,
    error: null,

    async load(fileId, columnsKey) {
      const same = get().fileId === fileId && (columnsKey === undefined || get().columnsKey === columnsKey);
      if (same && get().status === 'ready') return;
      // Another file, or the same one read again with other columns: nothing of the old sample stays on screen.
      set({
        fileId,
        columnsKey: columnsKey ?? null,
        status: 'loading',
        error: null,
        sample: [],
        problems: [],
        gaps: [],
      });
      try {
        const { mapping, suggestions, explanations, localTimeZone } = await call('getMapping', { fileId });
        if (get().fileId !== fileId || get().columnsKey !== (columnsKey ?? null)) return;
        set({ status: 'ready', mapping, suggestions, explanations: explanations ?? [], localTimeZone });
        await refresh();
      } catch (error) {
        set({ status: 'failed', error: messageOf(error) });
      }
    },

    update(change) {
      const mapping = get().mapping;
      if (!mapping) return;
      set({ mapping: change(mapping) });
      void refresh();
    },
  };
});
