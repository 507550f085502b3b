/** An opened import's card for its failed rows: how to fix them and re-run them, in the app or in a spreadsheet. */
import { useState, type ReactElement } from 'react';
import type { RunDetails, RunExportFormat } from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';
import { useRunView } from '../stores/history-run.ts';
import { usePreview } from '../stores/preview.ts';
import { useSend } from '../stores/send.ts';
import { useUpload } from '../stores/upload.ts';
import { useWizard } from '../stores/wizard.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { numbers } from './run-words.ts';

/** The failed rows' exports, in order. */
const FAILED_ROWS_EXPORTS: readonly (readonly [RunExportFormat, string])[] = [
  ['failed-csv', 'Export as CSV'],
  ['failed-xlsx', 'Export as Excel'],
];

/** Export the failed rows, and the three ways to re-run them. */
export function RerunCard({ details }: { details: RunDetails }): ReactElement {
  const { exportRun, exporting, exported } = useRunView();
  const prepareRerun = useSend((s) => s.prepareRerun);
  const goTo = useWizard((s) => s.goTo);
  const [withUnknown, setWithUnknown] = useState(false);
  const failedRows = details.totals.rejected + (withUnknown ? details.totals.unknown : 0);
  // The import's own file, as it was read when sent: its failed rows can be found by their numbers.
  const ownFile = details.fileAvailable && !details.fileProblem;
  const target = (fromFile: boolean) => ({
    runId: details.id,
    parentFileId: details.fileId,
    parentFileName: details.fileName,
    parentCreatedAt: details.createdAt,
    fromFile,
    includeUnknown: withUnknown,
  });
  const openOwnFile = async (step: 'map' | 'preview') => {
    prepareRerun(target(false));
    const upload = useUpload.getState();
    if (details.fileId && upload.file?.id !== details.fileId) await upload.openRecent(details.fileId);
    usePreview.getState().showFailedOf(step === 'preview' ? details.id : null);
    goTo(step);
  };
  return (
    <section className="card rerun-card" aria-labelledby="rerun-title">
      <h2 id="rerun-title" className="section-title">
        Fix the failed rows and send them again
      </h2>
      <p>
        A re-run sends only the failed rows — {numbers.format(failedRows)} {failedRows === 1 ? 'message' : 'messages'}{' '}
        here — as a new import linked to this one. Rows Vitally accepted are never sent again, and the Send step says
        how many will go before anything is sent.
      </p>
      {details.totals.unknown > 0 ? (
        <label className="checkbox">
          <input type="checkbox" checked={withUnknown} onChange={(e) => setWithUnknown(e.target.checked)} /> Also the{' '}
          {details.totals.unknown === 1
            ? '1 unconfirmed one (Vitally keeps one copy of each message, so sending it again is safe)'
            : `${numbers.format(details.totals.unknown)} unconfirmed ones (Vitally keeps one copy of each, so sending them again is safe)`}
        </label>
      ) : null}
      <div className="rerun-card__ways">
        <div>
          <h3>In the app</h3>
          <p className="muted">Correct the cells in Preview, which shows just these rows, or change the mapping.</p>
          <div className="send-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!ownFile}
              onClick={() => void openOwnFile('preview')}
            >
              Fix them in Preview
            </button>
            <button type="button" className="button" disabled={!ownFile} onClick={() => void openOwnFile('map')}>
              Change the mapping
            </button>
          </div>
          {!details.fileAvailable ? (
            <p className="muted">The file of this import is no longer in the app: use a corrected file.</p>
          ) : null}
          {details.fileProblem ? (
            <p className="field-error" role="alert" data-testid="rerun-file-problem">
              {details.fileProblem}
            </p>
          ) : null}
        </div>
        <div>
          <h3>In a spreadsheet</h3>
          <p className="muted">
            Export them with their original columns plus Row and Error, fix them in Excel or another spreadsheet, and
            load the file again.
          </p>
          <div className="send-actions">
            <ExportButtons
              exports={FAILED_ROWS_EXPORTS}
              disabled={exporting !== null || !ownFile}
              onExport={(format) => void exportRun(format, withUnknown)}
            />
            <button
              type="button"
              className="button"
              onClick={() => {
                prepareRerun(target(true));
                useUpload.getState().chooseAnother();
                goTo('upload');
              }}
            >
              <Icon name="upload" size={16} /> Load the corrected file
            </button>
          </div>
        </div>
      </div>
      {exported ? (
        <p className={exported.tone === 'error' ? 'field-error' : 'muted'} role="status" data-testid="export-status">
          {exported.text}
        </p>
      ) : null}
    </section>
  );
}
