import type { ReactElement } from 'react';

const numbers = new Intl.NumberFormat();

/**
 * The row filters of a list (Preview's rows, an opened import's messages) as tabs, each with how many rows it
 * shows; the tab of rows gone wrong (`errorTab`) is marked when it has any.
 */
export function FilterTabs<T extends string, O extends { id: T; label: string }>(props: {
  /** The radio group's name, and what it is called aloud. */
  name: string;
  label: string;
  options: readonly O[];
  count: (option: O) => number;
  errorTab: T;
  /** The tab chosen, or none (the list shows something no tab names). */
  chosen: T | null;
  onChoose: (id: T) => void;
}): ReactElement {
  const { name, label, options, count, errorTab, chosen, onChoose } = props;
  return (
    <div className="filter-tabs" role="radiogroup" aria-label={label}>
      {options.map((option) => (
        <label
          key={option.id}
          className={`filter-tabs__option${option.id === errorTab && count(option) > 0 ? ' filter-tabs__option--error' : ''}`}
        >
          <input
            type="radio"
            name={name}
            value={option.id}
            checked={option.id === chosen}
            onChange={() => onChoose(option.id)}
          />
          {option.label} <span className="filter-tabs__count">{numbers.format(count(option))}</span>
        </label>
      ))}
    </div>
  );
}
