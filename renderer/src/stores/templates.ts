import { create } from 'zustand';
import type { Template, TemplateOffer } from '../../../app/contract.ts';
import { call, messageOf } from '../api/client.ts';
import { useMap } from './map.ts';

interface TemplatesState {
  fileId: string | null;
  /** The open file's columns. */
  columns: string[];
  templates: Template[];
  /** Templates whose columns the open file has, best first. */
  offers: TemplateOffer[];
  /** The template whose mapping the file now uses, when the user chose one. */
  applied: string | null;
  notice: { tone: 'ok' | 'error'; text: string } | null;
  load: (fileId: string, columns: string[]) => Promise<void>;
  apply: (template: Template) => void;
  save: (name: string) => Promise<boolean>;
  remove: (id: string) => Promise<void>;
  exportOne: (id: string) => Promise<void>;
  importFile: (file: File) => Promise<void>;
}

/** Mapping templates on the Map step: offered when a file fits one, saved, shared and imported. */
export const useTemplates = create<TemplatesState>()((set, get) => {
  const refresh = async () => {
    const fileId = get().fileId;
    const [templates, offers] = await Promise.all([
      call('listTemplates', {}),
      fileId ? call('templateOffers', { fileId }) : Promise.resolve([]),
    ]);
    set({ templates, offers });
  };
  const failed = (error: unknown) => set({ notice: { tone: 'error', text: messageOf(error) } });

  return {
    fileId: null,
    columns: [],
    templates: [],
    offers: [],
    applied: null,
    notice: null,

    async load(fileId, columns) {
      if (get().fileId !== fileId) set({ fileId, applied: null, notice: null });
      set({ columns });
      await refresh().catch(failed);
    },

    apply(template) {
      useMap.getState().update(() => template.mapping);
      set({
        applied: template.id,
        notice: { tone: 'ok', text: `This file now uses the template “${template.name}”.` },
      });
    },

    async save(name) {
      const mapping = useMap.getState().mapping;
      if (!mapping) return false;
      try {
        const template = await call('saveTemplate', { name, mapping });
        set({ applied: template.id, notice: { tone: 'ok', text: `Saved as the template “${template.name}”.` } });
        await refresh();
        return true;
      } catch (error) {
        failed(error);
        return false;
      }
    },

    async remove(id) {
      try {
        await call('deleteTemplate', { id });
        if (get().applied === id) set({ applied: null });
        await refresh();
      } catch (error) {
        failed(error);
      }
    },

    async exportOne(id) {
      try {
        const { fileName, text } = await call('exportTemplate', { id });
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = fileName;
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } catch (error) {
        failed(error);
      }
    },

    async importFile(file) {
      try {
        const template = await call('importTemplate', { text: await file.text() });
        await refresh();
        const present = new Set(get().columns);
        const missing = template.columns.filter((column) => !present.has(column));
        set({
          notice: {
            tone: 'ok',
            text:
              missing.length === 0
                ? `Imported the template “${template.name}”. It fits this file.`
                : `Imported the template “${template.name}”. It is offered for files with the columns it uses; ` +
                  `this one lacks ${missing.map((c) => `“${c}”`).join(', ')}.`,
          },
        });
      } catch (error) {
        failed(error);
      }
    },
  };
});
