import type { ReactElement } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';

/** Upload: the spreadsheet to import. */
export function UploadStep(): ReactElement {
  return (
    <EmptyState icon="file" title="No spreadsheet loaded">
      <p>
        Vitally Importer reads exports from Salesforce, HubSpot, Excel and Google Sheets: CSV, TSV and other delimited
        text, Excel workbooks (.xlsx, .xls) and OpenDocument spreadsheets (.ods), up to a million rows.
      </p>
      <p className="muted">
        Your file is read, never changed. You can connect your workspace before or after loading it.
      </p>
    </EmptyState>
  );
}
