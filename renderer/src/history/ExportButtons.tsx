import type { ReactElement } from 'react';
import type { RunExportFormat } from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';

/** A button for each export of an opened import offered here (the run report, its failed rows), in order. */
export function ExportButtons(props: {
  exports: readonly (readonly [RunExportFormat, string])[];
  disabled: boolean;
  onExport: (format: RunExportFormat) => void;
}): ReactElement {
  const { exports, disabled, onExport } = props;
  return (
    <>
      {exports.map(([format, label]) => (
        <button key={format} type="button" className="button" disabled={disabled} onClick={() => onExport(format)}>
          <Icon name="download" size={16} /> {label}
        </button>
      ))}
    </>
  );
}
