import type { ReactElement } from 'react';
import type { Mapping, MappingProblem } from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';

/**
 * The mapping's integrity problems: what it would drop, merge or hide, each naming its columns. With `onFix`
 * (the Map step), each problem's fixes are buttons that change the mapping in one click; without (Preview), a
 * `fixIn` action takes the user to where it can be fixed.
 */
export function MappingProblems({
  problems,
  onFix,
  fixIn,
}: {
  problems: readonly MappingProblem[];
  onFix?: (mapping: Mapping) => void;
  fixIn?: { label: string; go: () => void };
}): ReactElement | null {
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  // A fix several problems offer alike (start again from the suggestions) is shown once, below them all.
  const offered = new Map<string, { label: string; mapping: Mapping; count: number }>();
  for (const fix of problems.flatMap((p) => p.fixes)) {
    const key = `${fix.label}\u0000${JSON.stringify(fix.mapping)}`;
    offered.set(key, { ...fix, count: (offered.get(key)?.count ?? 0) + 1 });
  }
  const shared = [...offered].filter(([, fix]) => fix.count > 1);
  const sharedKeys = new Set(shared.map(([key]) => key));
  const own = (problem: MappingProblem) =>
    problem.fixes.filter((fix) => !sharedKeys.has(`${fix.label}\u0000${JSON.stringify(fix.mapping)}`));
  return (
    <section
      className={`card mapping-problems${errors > 0 ? ' mapping-problems--error' : ''}`}
      aria-labelledby="mapping-problems-title"
      data-testid="mapping-problems"
    >
      <h2 id="mapping-problems-title">
        <Icon name="alert" />{' '}
        {errors > 0
          ? `The mapping has ${errors === 1 ? 'a problem' : `${errors} problems`} to fix before anything is sent`
          : 'Check the mapping'}
      </h2>
      <ul>
        {problems.map((problem) => (
          <li
            key={`${problem.code}:${problem.columns.join('\u0000')}:${problem.message}`}
            className={`problem problem--${problem.severity}`}
            data-code={problem.code}
            role={problem.severity === 'error' ? 'alert' : undefined}
          >
            <p>{problem.message}</p>
            {onFix && own(problem).length > 0 ? (
              <div className="mapping-problems__fixes">
                {own(problem).map((fix) => (
                  <button key={fix.label} type="button" className="button" onClick={() => onFix(fix.mapping)}>
                    {fix.label}
                  </button>
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {onFix && shared.length > 0 ? (
        <div className="mapping-problems__fixes mapping-problems__shared">
          {shared.map(([key, fix]) => (
            <button key={key} type="button" className="button button--primary" onClick={() => onFix(fix.mapping)}>
              {fix.label}
            </button>
          ))}
        </div>
      ) : null}
      {fixIn ? (
        <button type="button" className="button button--primary" onClick={fixIn.go}>
          {fixIn.label}
        </button>
      ) : null}
    </section>
  );
}
