import { useState, type ReactElement } from 'react';
import type { Mapping } from '../../../app/contract.ts';
import { useMap } from '../stores/map.ts';
import { TimeZoneChoice } from './TimeZoneChoice.tsx';
import { MessageCard } from './MessageCard.tsx';
import { TYPE_LABELS, type MessageType } from './labels.ts';
import { removalLoss, withField, withMessage, withoutMessage, withType, withTypeColumn } from './message-edits.ts';

/** An object with its keys in order, to compare two of them as JSON. */
const sorted = (fields: object) => Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));

/** What each row becomes: the message types in the order they are sent, and where their fields come from. */
export function MessagesEditor({ columns }: { columns: readonly string[] }): ReactElement {
  const mapping = useMap((s) => s.mapping);
  const update = useMap((s) => s.update);
  const explanations = useMap((s) => s.explanations);
  // A message removed with traits nobody took over: said, with a way back.
  const [removal, setRemoval] = useState<{ text: string; before: Mapping } | null>(null);
  if (!mapping) return <></>;
  /** Why a message was suggested, while it is the message suggested: same type, same fields. */
  const explanationOf = (message: Mapping['messages'][number]) =>
    explanations.find(
      (e) => e.type === message.type && JSON.stringify(sorted(e.fields)) === JSON.stringify(sorted(message.fields)),
    )?.text;

  const removeType = (index: number) => {
    const loss = removalLoss(mapping, index);
    setRemoval(loss === null ? null : { text: loss, before: mapping });
    update((m) => withoutMessage(m, index));
  };
  const unused = (Object.keys(TYPE_LABELS) as MessageType[]).filter(
    (type) => !mapping.messages.some((m) => m.type === type),
  );

  return (
    <section className="card map-messages" aria-labelledby="messages-title">
      <h2 id="messages-title">Each row becomes</h2>
      {removal ? (
        <p className="notice notice--warning map-removed" role="status" data-testid="message-removed">
          <span>{removal.text}</span>{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              const before = removal.before;
              setRemoval(null);
              update(() => before);
            }}
          >
            Undo
          </button>
        </p>
      ) : null}
      {mapping.messages.length > 1 || mapping.typeColumn !== undefined ? (
        <div className="field map-add map-type-column">
          <label htmlFor="type-column">Which of these messages a row makes</label>
          <select
            id="type-column"
            value={mapping.typeColumn ?? ''}
            onChange={(event) => {
              const column = event.target.value;
              // The column that names the type is not a trait of anything.
              update((m) => withTypeColumn(m, column));
            }}
          >
            <option value="">All of them, in this order</option>
            {columns.map((column) => (
              <option key={column} value={column}>
                The one named in column: {column}
              </option>
            ))}
          </select>
          {mapping.typeColumn !== undefined ? (
            <small className="muted">
              Each row’s “{mapping.typeColumn}” cell says what it is: account, user, organization, event, custom object
              or unlink (company, contact and org are understood too).
            </small>
          ) : null}
        </div>
      ) : null}
      <ol className="map-messages__list">
        {mapping.messages.map((message, index) => (
          <MessageCard
            key={message.type}
            message={message}
            index={index}
            columns={columns}
            unused={unused}
            why={explanationOf(message)}
            removable={mapping.messages.length > 1}
            onType={(type) => update((m) => withType(m, index, type))}
            onRemove={() => removeType(index)}
            onField={(field, source) => update((m) => withField(m, index, field, source))}
          />
        ))}
      </ol>
      {mapping.messages.some(
        (m) => m.type === 'account' || m.type === 'organization' || m.type === 'customobjectinstance',
      ) ? (
        <label className="field map-add">
          <span>When the same account appears on several rows</span>
          <select
            value={mapping.conflicts}
            onChange={(event) => update((m) => ({ ...m, conflicts: event.target.value as Mapping['conflicts'] }))}
          >
            <option value="flag">Send it once, with the first row’s values, and warn where others differ</option>
            <option value="first">Send it once, with the first row’s values</option>
            <option value="last">Send it once, with the last row’s values</option>
          </select>
        </label>
      ) : null}
      <TimeZoneChoice />
      {unused.length > 0 && mapping.messages.length < 6 ? (
        <label className="field map-add">
          <span>Also make from each row</span>
          <select
            value=""
            onChange={(event) => {
              const type = event.target.value as MessageType | '';
              if (type) update((m) => withMessage(m, type));
            }}
          >
            <option value="">Choose a message type…</option>
            {unused.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </section>
  );
}
