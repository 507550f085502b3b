import { counted } from '../words.ts';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { useTemplates } from '../stores/templates.ts';
import { OutcomeNotice } from '../components/OutcomeNotice.tsx';

/**
 * Templates on the Map step: the saved mapping that fits this file, offered in one click; saving the current
 * mapping under a name; importing a template file a colleague shared; exporting or deleting saved ones.
 */
export function TemplatesBar({ fileId, columns }: { fileId: string; columns: readonly string[] }): ReactElement {
  const { templates, offers, applied, notice, load, apply, save, remove, exportOne, importFile } = useTemplates();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const columnKey = columns.join('\u0000');

  useEffect(() => {
    void load(fileId, columnKey.split('\u0000'));
  }, [fileId, columnKey, load]);

  const offer = offers.find((o) => o.template.id !== applied);
  return (
    <section className="card map-templates" aria-label="Mapping templates">
      {offer && !applied ? (
        <div className="notice notice--offer" role="status">
          <Icon name="columns" />
          <span>
            This file has the columns of your template <strong>“{offer.template.name}”</strong>.
          </span>
          <button type="button" className="button button--primary" onClick={() => apply(offer.template)}>
            Use “{offer.template.name}”
          </button>
        </div>
      ) : null}
      {notice ? <OutcomeNotice outcome={notice} /> : null}
      <div className="map-templates__actions">
        {naming ? (
          <form
            className="map-templates__form"
            onSubmit={(event) => {
              event.preventDefault();
              void save(name).then((saved) => saved && setNaming(false));
            }}
          >
            <label htmlFor="template-name">Template name</label>
            <input
              id="template-name"
              autoFocus
              value={name}
              maxLength={100}
              placeholder="e.g. Monthly users export"
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="button button--primary" disabled={name.trim() === ''}>
              Save
            </button>
            <button type="button" className="button" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className="button" onClick={() => setNaming(true)}>
            Save as template…
          </button>
        )}
        <button type="button" className="button" onClick={() => picker.current?.click()}>
          <Icon name="upload" /> Import template…
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Template file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void importFile(file);
          }}
        />
        {templates.length > 0 ? (
          <details className="map-templates__saved">
            <summary>Saved templates ({templates.length})</summary>
            <ul>
              {templates.map((template) => {
                const fits = offers.some((o) => o.template.id === template.id);
                return (
                  <li key={template.id}>
                    <span>
                      <strong>{template.name}</strong>{' '}
                      <span className="muted">
                        {counted(template.columns.length, 'column')}
                        {fits ? ' · fits this file' : ''}
                      </span>
                    </span>
                    <span className="map-templates__buttons">
                      {fits ? (
                        <button type="button" className="link-button" onClick={() => apply(template)}>
                          Use
                        </button>
                      ) : null}
                      <button type="button" className="link-button" onClick={() => void exportOne(template.id)}>
                        Export
                      </button>
                      <button type="button" className="link-button" onClick={() => void remove(template.id)}>
                        Delete
                      </button>
                    </span>
                  </li>
                );
              })}
            </ul>
          </details>
        ) : null}
      </div>
    </section>
  );
}
