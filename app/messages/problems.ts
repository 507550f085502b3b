/**
 * A problem with a row, as the builder and the check find it and the Preview shows it: where (row, column, value),
 * what (`code`, and `params`: the values its words show), and how bad. The words — `message`, which exports and
 * History show, and the Preview's shorter line — are written from those fields by one function, `problemText`;
 * nothing reads them back. This schema is the contract's too (`app/contract/mapping-preview.ts` re-exports it).
 */
import { z } from 'zod';
import { MessageType, TraitType, TYPE_WORDS } from '../map/mapping.ts';
import { ExcelMangling, excelManglingText, ValueProblem, valueProblemText } from '../map/values.ts';
import { describeMisdecoding, type Misdecoding as FoundMisdecoding } from '../read/mojibake.ts';
import { MissingField, missingFieldText } from './required-fields.ts';

/** Errors keep a row from being sent; warnings do not. */
export const SEVERITIES = ['error', 'warning'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** Text that looks read in the wrong encoding (`app/read/mojibake.ts`): what gave it away. */
const Misdecoding = z.object({
  kind: z.enum(['replacement', 'control', 'mojibake']),
  found: z.string(),
  meant: z.string().optional(),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const misdecodingMatches: Same<z.infer<typeof Misdecoding>, FoundMisdecoding> = true;
void misdecodingMatches;

const none = z.object({}).strict();

/** Each problem's code with its `params`: the values its words show, for a screen to read as fields. */
const PARAMS = {
  /** A type column naming no message the mapping makes: the types it makes. */
  'unknown-type': z.object({ types: z.array(MessageType) }),
  /** A cell that cannot be read as the type its column is sent as. */
  'unreadable-value': z.object({ expected: TraitType, reason: ValueProblem }),
  /** A rule of the message type broken (a field it needs, traits not an object). */
  'missing-field': MissingField.extend({ messageType: MessageType }),
  /** An ID Excel turned into a rounded number (`1.23E+05`). */
  'excel-number': none,
  'excel-mangled': z.object({ mangling: ExcelMangling }),
  'misdecoded-text': Misdecoding,
  'empty-trait-key': none,
  /** Text longer than Vitally is known to keep: its length in characters. */
  'long-text': z.object({ characters: z.number().int() }),
  /** A message larger than any request may be, even alone in a batch. */
  'message-too-large': z.object({ messageType: MessageType, bytes: z.number().int() }),
  /** An entity a later row repeats with other values (`account:A1`), and the row whose values are sent. */
  'conflicting-entity': z.object({ entity: z.string(), keptRow: z.number().int().nullable() }),
};
export type ProblemCode = keyof typeof PARAMS;

/** How bad each problem is: one rule per code. */
export const SEVERITY_OF: Readonly<Record<ProblemCode, Severity>> = {
  'unknown-type': 'error',
  'unreadable-value': 'error',
  'missing-field': 'error',
  'excel-number': 'error',
  'excel-mangled': 'warning',
  'misdecoded-text': 'warning',
  'empty-trait-key': 'error',
  'long-text': 'warning',
  'message-too-large': 'error',
  'conflicting-entity': 'warning',
};

const located = {
  rowNumber: z.number().int(),
  /** The spreadsheet column, when the problem is in one cell. */
  column: z.string().nullable(),
  /** The cell's text, when the words quote it. */
  value: z.string().nullable(),
  severity: Severity,
  /** Plain words, naming the row, the column and the value: `problemText(problem, { withRow: true })`. */
  message: z.string(),
};
const problemOf = <C extends ProblemCode>(code: C) =>
  z.object({ ...located, code: z.literal(code), params: PARAMS[code] });

export const Problem = z.discriminatedUnion('code', [
  problemOf('unknown-type'),
  problemOf('unreadable-value'),
  problemOf('missing-field'),
  problemOf('excel-number'),
  problemOf('excel-mangled'),
  problemOf('misdecoded-text'),
  problemOf('empty-trait-key'),
  problemOf('long-text'),
  problemOf('message-too-large'),
  problemOf('conflicting-entity'),
]);
export type Problem = z.infer<typeof Problem>;
// Every code above is in the union, and nothing else.
const everyCode: Same<Problem['code'], ProblemCode> = true;
void everyCode;

/** A problem before its words and severity, which follow from it. */
export type ProblemFacts = Problem extends infer P
  ? P extends Problem
    ? Omit<P, 'severity' | 'message'>
    : never
  : never;

/** The problem, with its severity and its words. */
export function problem(facts: ProblemFacts): Problem {
  return { ...facts, severity: SEVERITY_OF[facts.code], message: problemText(facts, { withRow: true }) };
}

const LONGEST_SHOWN = 60;

/**
 * A problem in plain words: “Row 5, column “Seats”: “many” is not a number.” With `withRow: false`, for a screen
 * that shows the row number beside it: “Seats”: “many” is not a number.
 */
export function problemText(problem: ProblemFacts, { withRow }: { withRow: boolean }): string {
  const { rowNumber, column, value } = problem;
  const where = withRow
    ? column === null
      ? `Row ${rowNumber}: `
      : `Row ${rowNumber}, column “${column}”: `
    : column === null
      ? ''
      : `“${column}”: `;
  const what = whatOf(problem);
  if (value === null) return `${where}${what}.`;
  const shown = value.length > LONGEST_SHOWN ? `${value.slice(0, LONGEST_SHOWN - 3)}…` : value;
  return `${where}“${shown}” ${what}.`;
}

/** What is wrong, completing “Row 5, column “Seats”: “many” …”. */
function whatOf(problem: ProblemFacts): string {
  switch (problem.code) {
    case 'unknown-type': {
      const made = problem.params.types.map((type) => TYPE_WORDS[type]).join(', ');
      return problem.value === null
        ? `is empty; it must name the row’s message type (${made})`
        : `is not a message type this mapping makes (${made})`;
    }
    case 'unreadable-value':
      return valueProblemText(problem.params.reason);
    case 'missing-field':
      return missingFieldText(problem.params.messageType, problem.params, { blank: problem.column !== null });
    case 'excel-number':
      return 'looks like an ID Excel turned into a rounded number; re-export the column as text';
    case 'excel-mangled':
      return excelManglingText(problem.params.mangling);
    case 'misdecoded-text':
      return `${describeMisdecoding(problem.params)}; the file may be in another encoding: choose it in Upload`;
    case 'empty-trait-key':
      return 'is mapped to a trait with no name';
    case 'long-text':
      return `is ${Math.round(problem.params.characters / 1024)} KB of text, more than Vitally is known to keep`;
    case 'message-too-large': {
      const { messageType, bytes } = problem.params;
      const article = /^(?:[aeio]|un)/.test(messageType) ? 'an' : 'a'; // a user, an unlink
      return `makes ${article} ${messageType} message of ${Math.ceil(bytes / 1024)} KB, larger than one request may be (512 KB)`;
    }
    case 'conflicting-entity': {
      const kept = problem.params.keptRow ?? '?';
      return `${problem.params.entity.replace(':', ' ')} has other values than on row ${kept}; the values of row ${kept} are sent`;
    }
  }
}
