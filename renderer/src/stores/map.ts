import { create } from 'zustand';
import type { ColumnSuggestion, Mapping, SampleRow } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { useWizard } from './wizard.ts';

interface MapState {
  fileId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  mapping: Mapping | null;
  suggestions: ColumnSuggestion[];
  sample: SampleRow[];
  /** What the mapping still lacks, in plain words. */
  gaps: string[];
  error: string | null;
  load: (fileId: string) => Promise<void>;
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
      const [{ rows, gaps }] = await Promise.all([
        call('sampleMapping', { fileId, mapping, rows: 3 }),
        call('saveMapping', { fileId, mapping }),
      ]);
      if (mine !== generation) return; // A later change has already been sent.
      set({ sample: rows, gaps, error: null });
      useWizard.getState().setFacts({ mappingReady: gaps.length === 0 });
    } catch (error) {
      if (mine === generation) set({ error: messageOf(error) });
    }
  };

  return {
    fileId: null,
    status: 'idle',
    mapping: null,
    suggestions: [],
    sample: [],
    gaps: [],
    error: null,

    async load(fileId) {
      if (get().fileId === fileId && get().status === 'ready') return;
      set({ fileId, status: 'loading', error: null });
      try {
        const { mapping, suggestions } = await call('getMapping', { fileId });
        set({ status: 'ready', mapping, suggestions });
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
