import { useRef, useState, type DragEvent, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { useUpload } from '../stores/upload.ts';

export const ACCEPTED = '.csv,.tsv,.tab,.txt,.psv,.xlsx,.xlsm,.xls,.ods,text/csv,text/plain';

/** Where a file comes in: dropped here, or chosen with the button (or File › Open…). */
export function DropZone(): ReactElement {
  const openFile = useUpload((s) => s.openFile);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void openFile(file);
  };

  return (
    <div
      className={`drop-zone${over ? ' drop-zone--over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="empty-state__icon">
        <Icon name="upload" size={28} />
      </div>
      <h2 className="empty-state__title">Drop a spreadsheet here</h2>
      <p className="muted">
        Excel (.xlsx, .xls) and OpenDocument (.ods) workbooks, and CSV, TSV and other delimited text exported from
        Salesforce, HubSpot or Google Sheets, up to a million rows. Your file is read, never changed.
      </p>
      <input
        ref={input}
        id="file-input"
        className="visually-hidden"
        type="file"
        aria-label="File to import"
        // The button below opens it; focus goes there, never to an invisible input.
        tabIndex={-1}
        accept={ACCEPTED}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void openFile(file);
        }}
      />
      <button type="button" className="button button--primary" onClick={() => input.current?.click()}>
        <Icon name="file" size={16} /> Choose a file…
      </button>
    </div>
  );
}
