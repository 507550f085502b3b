import { useMemo, type ReactElement } from 'react';

/**
 * A batch's messages one after another, each under the spreadsheet row it came from. The exact body (what Copy
 * copies and what is sent) stays on the element as `data-body`.
 */
export function BatchMessages(props: {
  body: string;
  rows: readonly { rowNumber: number; type: string }[];
}): ReactElement {
  const { body, rows } = props;
  const messages = useMemo(() => (JSON.parse(body) as unknown[]).map((m) => JSON.stringify(m, null, 2)), [body]);
  return (
    // Focusable, so that the keyboard can scroll it.
    <ol
      className="batch-view__json"
      data-testid="batch-json"
      data-body={body}
      aria-label="Messages in this batch"
      tabIndex={0}
    >
      {messages.map((json, index) => (
        <li key={index} className="batch-message">
          <span className="batch-message__source">
            Message {index + 1} · row {rows[index]?.rowNumber ?? '?'}
          </span>
          <pre className="json batch-message__json">{json}</pre>
        </li>
      ))}
    </ol>
  );
}
