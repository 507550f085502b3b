import { useState, type ReactElement } from 'react';
import type { Mapping } from '../../../app/contract.ts';
import { useMap } from '../stores/map.ts';
import { TimeZoneChoice } from './TimeZoneChoice.tsx';
import {
  COMMON_FIELDS,
  FIELDS,
  FIELDS_BY_TYPE,
  TYPE_LABELS,
  type FieldSource,
  type IdentityField,
  type MessageType,
} from './labels.ts';

const CONSTANT = '__constant__';

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

  const setField = (index: number, field: IdentityField, source: FieldSource | undefined) =>
    update((m) => ({
      ...m,
      messages: m.messages.map((message, i) => {
        if (i !== index) return message;
        const fields = { ...message.fields };
        if (source) fields[field] = source;
        else delete fields[field];
        return { ...message, fields };
      }),
    }));

  const addType = (type: MessageType) =>
    update((m) => ({ ...m, messages: [...m.messages, { type, fields: {}, traits: [] }] }));
  /**
   * Removes a message. Its traits are not lost when the messages left have none yet (a type added to replace it):
   * they go to the last of those that carries traits.
   */
  const removeType = (index: number) => {
    const removed = mapping.messages[index];
    const heirs = mapping.messages.filter((_, i) => i !== index);
    const handedOn = heirs.some((m) => m.type !== 'unlink') && heirs.every((m) => m.traits.length === 0);
    if (removed && removed.traits.length > 0 && !handedOn) {
      // Columns joined into one trait are one trait.
      const names = [...new Set(removed.traits.map((trait) => trait.key))];
      const count = names.length === 1 ? 'its trait' : `its ${names.length} traits`;
      setRemoval({
        text: `Removed the ${TYPE_LABELS[removed.type]} message and ${count} (${names.join(', ')}): they will not be sent.`,
        before: mapping,
      });
    } else setRemoval(null);
    update((m) => {
      const removed = m.messages[index];
      const messages = m.messages.filter((_, i) => i !== index);
      const heir = messages.findLastIndex((message) => message.type !== 'unlink');
      if (removed && heir !== -1 && messages.every((message) => message.traits.length === 0))
        return {
          ...m,
          messages: messages.map((message, i) => (i === heir ? { ...message, traits: removed.traits } : message)),
        };
      return { ...m, messages };
    });
  };
  /** Makes a message another type, keeping its traits and every field the new type takes. */
  const switchType = (index: number, type: MessageType) =>
    update((m) => ({
      ...m,
      messages: m.messages.map((message, i) => {
        if (i !== index) return message;
        const fields = Object.fromEntries(
          Object.entries(message.fields).filter(([field]) => FIELDS_BY_TYPE[type].includes(field as IdentityField)),
        );
        // An unlink carries no traits: they stay on the message until it is another type again.
        return { ...message, type, fields };
      }),
    }));
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
              update((m) => {
                const rest = { ...m };
                delete rest.typeColumn;
                if (!column) return rest;
                // The column that names the type is not a trait of anything.
                const messages = m.messages.map((message) => ({
                  ...message,
                  traits: message.traits.filter((trait) => trait.column !== column),
                }));
                return { ...rest, messages, typeColumn: column };
              });
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
          <li key={message.type} className="map-message" data-testid={`message-${message.type}`}>
            <div className="map-message__head">
              <label className="map-message__type">
                <span>{index + 1}.</span>
                <select
                  aria-label={`Message ${index + 1}: its type`}
                  value={message.type}
                  onChange={(event) => switchType(index, event.target.value as MessageType)}
                >
                  {[message.type, ...unused].map((type) => (
                    <option key={type} value={type}>
                      {TYPE_LABELS[type]}
                    </option>
                  ))}
                </select>
              </label>
              {mapping.messages.length > 1 ? (
                <button type="button" className="link-button" onClick={() => removeType(index)}>
                  Remove
                </button>
              ) : null}
            </div>
            {explanationOf(message) ? (
              <p className="muted map-message__why" data-testid={`why-${message.type}`}>
                {explanationOf(message)}
              </p>
            ) : null}
            {message.type === 'unlink' && message.traits.length > 0 ? (
              <p className="muted map-message__why">
                An unlink carries no traits: its {message.traits.length === 1 ? 'trait is' : 'traits are'} kept here,
                unsent, in case you choose another type again.
              </p>
            ) : null}
            <div className="map-message__fields">
              {[...FIELDS[message.type], ...COMMON_FIELDS.map((f) => ({ ...f, required: false }))].map(
                ({ field, label, required }) => {
                  const source = message.fields[field];
                  const value = source === undefined ? '' : 'column' in source ? source.column : CONSTANT;
                  return (
                    <div key={field} className="field map-field">
                      <label htmlFor={`${message.type}-${field}`}>
                        {label}
                        {required ? <span className="required"> (required)</span> : null}
                      </label>
                      <div className="map-field__inputs">
                        <select
                          id={`${message.type}-${field}`}
                          value={value}
                          onChange={(event) => {
                            const chosen = event.target.value;
                            setField(
                              index,
                              field,
                              chosen === '' ? undefined : chosen === CONSTANT ? { constant: '' } : { column: chosen },
                            );
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
                            onChange={(event) => setField(index, field, { constant: event.target.value })}
                          />
                        ) : null}
                      </div>
                    </div>
                  );
                },
              )}
            </div>
          </li>
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
              if (event.target.value) addType(event.target.value as MessageType);
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
