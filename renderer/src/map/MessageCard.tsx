import type { ReactElement } from 'react';
import type { Mapping } from '../../../app/contract.ts';
import {
  COMMON_FIELDS,
  FIELDS,
  TYPE_LABELS,
  type FieldSource,
  type IdentityField,
  type MessageType,
} from './labels.ts';

const CONSTANT = '__constant__';

type MessageMapping = Mapping['messages'][number];

/** One message of the mapping: its type, why it was suggested, and where each of its fields comes from. */
export function MessageCard(props: {
  message: MessageMapping;
  index: number;
  columns: readonly string[];
  /** The types no message has yet: what this one can become. */
  unused: readonly MessageType[];
  /** Why it was suggested, while it is still the message suggested. */
  why: string | undefined;
  removable: boolean;
  onType: (type: MessageType) => void;
  onRemove: () => void;
  onField: (field: IdentityField, source: FieldSource | undefined) => void;
}): ReactElement {
  const { message, index, columns, unused, why, removable, onType, onRemove, onField } = props;
  return (
    <li className="map-message" data-testid={`message-${message.type}`}>
      <div className="map-message__head">
        <label className="map-message__type">
          <span>{index + 1}.</span>
          <select
            aria-label={`Message ${index + 1}: its type`}
            value={message.type}
            onChange={(event) => onType(event.target.value as MessageType)}
          >
            {[message.type, ...unused].map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        {removable ? (
          <button type="button" className="link-button" onClick={onRemove}>
            Remove
          </button>
        ) : null}
      </div>
      {why ? (
        <p className="muted map-message__why" data-testid={`why-${message.type}`}>
          {why}
        </p>
      ) : null}
      {message.type === 'unlink' && message.traits.length > 0 ? (
        <p className="muted map-message__why">
          An unlink carries no traits: its {message.traits.length === 1 ? 'trait is' : 'traits are'} kept here, unsent,
          in case you choose another type again.
        </p>
      ) : null}
      <div className="map-message__fields">
        {[...FIELDS[message.type], ...COMMON_FIELDS.map((f) => ({ ...f, required: false }))].map((field) => (
          <FieldChoice
            key={field.field}
            {...field}
            type={message.type}
            source={message.fields[field.field]}
            columns={columns}
            onChange={(source) => onField(field.field, source)}
          />
        ))}
      </div>
    </li>
  );
}

/** Where a field comes from: not set (or made by the app), a column, or the same text for every row. */
function FieldChoice(props: {
  field: IdentityField;
  label: string;
  required: boolean;
  type: MessageType;
  source: FieldSource | undefined;
  columns: readonly string[];
  onChange: (source: FieldSource | undefined) => void;
}): ReactElement {
  const { field, label, required, type, source, columns, onChange } = props;
  const value = source === undefined ? '' : 'column' in source ? source.column : CONSTANT;
  return (
    <div className="field map-field">
      <label htmlFor={`${type}-${field}`}>
        {label}
        {required ? <span className="required"> (required)</span> : null}
      </label>
      <div className="map-field__inputs">
        <select
          id={`${type}-${field}`}
          value={value}
          onChange={(event) => {
            const chosen = event.target.value;
            onChange(chosen === '' ? undefined : chosen === CONSTANT ? { constant: '' } : { column: chosen });
          }}
        >
          <option value="">
            {field === 'timestamp'
              ? 'One time for the whole file'
              : field === 'messageId'
                ? 'Made from the message'
                : 'Not set'}
          </option>
          {columns.map((column) => (
            <option key={column} value={column}>
              Column: {column}
            </option>
          ))}
          <option value={CONSTANT}>The same for every row…</option>
        </select>
        {source && 'constant' in source ? (
          <input
            aria-label={`${label} for every row`}
            value={source.constant}
            onChange={(event) => onChange({ constant: event.target.value })}
          />
        ) : null}
      </div>
    </div>
  );
}
