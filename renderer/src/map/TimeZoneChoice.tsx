import { useMemo, type ReactElement } from 'react';
import { useMap } from '../stores/map.ts';

/** Every zone the browser knows, or a short list where it cannot say. */
function zones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const known = intl.supportedValuesOf?.('timeZone') ?? ['Europe/London', 'Europe/Berlin', 'America/New_York'];
  return known.includes('UTC') ? known : ['UTC', ...known];
}

/**
 * The time zone of date-times written without one (`2024-03-05 09:30`): this computer's by default, said in words,
 * or any other. Shown when the mapping reads date-times (a Date and time trait, or a timestamp column).
 */
export function TimeZoneChoice(): ReactElement | null {
  const mapping = useMap((s) => s.mapping);
  const local = useMap((s) => s.localTimeZone);
  const update = useMap((s) => s.update);
  const all = useMemo(() => zones(), []);
  if (!mapping) return null;
  const readsTimes = mapping.messages.some(
    (m) =>
      m.traits.some((t) => t.type === 'datetime') ||
      (m.fields.timestamp !== undefined && 'column' in m.fields.timestamp),
  );
  if (!readsTimes && mapping.timeZone === undefined) return null;
  const localName = local ?? 'unknown';
  return (
    <div className="field map-add map-time-zone">
      <label htmlFor="time-zone">Date-times written without a time zone are in</label>
      <select
        id="time-zone"
        value={mapping.timeZone ?? ''}
        onChange={(event) => {
          const zone = event.target.value;
          update((m) => {
            const rest = { ...m };
            delete rest.timeZone;
            return zone ? { ...rest, timeZone: zone } : rest;
          });
        }}
      >
        <option value="">This computer’s time zone ({localName})</option>
        {all.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
      <small className="muted">
        {mapping.timeZone === undefined
          ? `“2024-03-05 09:30” is read as 09:30 in ${localName}, this computer’s zone. Date-times that name their zone (Z, +02:00) are read as written.`
          : `“2024-03-05 09:30” is read as 09:30 in ${mapping.timeZone}. Date-times that name their zone (Z, +02:00) are read as written.`}
      </small>
    </div>
  );
}
