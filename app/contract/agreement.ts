/**
 * Where a value crosses the contract as the engine made it, the contract's schema and the engine's type must say
 * the same: each pair below fails to compile when one of them changes without the other. (Where the engine owns a
 * zod schema — `Mapping`, `Problem` — the contract re-exports it instead, and there is nothing to check.)
 */
import type { z } from 'zod';
import type { MappingProblem as EngineMappingProblem } from '../map/integrity.ts';
import type { ColumnSuggestion as EngineColumnSuggestion } from '../map/column-suggestion.ts';
import type { MessageExplanation as EngineMessageExplanation } from '../map/explain-mapping.ts';
import type { BatchInfo as EngineBatchInfo, PreviewSummary as EnginePreviewSummary } from '../preview/check.ts';
import type { Column as EngineColumn } from '../read/detect.ts';
import type {
  ReadNote as EngineReadNote,
  ReadResult as EngineReadResult,
  ReadSettings as EngineReadSettings,
} from '../read/types.ts';
import type { RunKind as EngineRunKind, RunState as EngineRunState } from '../journal/journal.ts';
import type { MessageOutcome as EngineMessageOutcome, TypeCounts as EngineTypeCounts } from '../journal/outcomes.ts';
import type { RerunPlan as EngineRerunPlan } from '../send/rerun.ts';
import type {
  BatchInfo,
  ColumnSuggestion,
  MappingProblem,
  MessageExplanation,
  PreviewSummary,
} from './mapping-preview.ts';
import type { MessageOutcome, RerunPlan, TypeCounts } from './sending.ts';
import type { Column, ReadNote, ReadResult, ReadSettings, RunKind, RunState } from './values.ts';

/** True when each of A and B is assignable to the other. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agree<T extends true> = T;

/** Fields main adds to the engine's re-run plan: the failed rows' counts and why it cannot be sent yet. */
type PlanFromMain = 'failedMessages' | 'failedRows' | 'problem' | 'problemStep';

export type ContractAgreesWithEngine = [
  Agree<Same<z.output<typeof ReadSettings>, EngineReadSettings>>,
  Agree<Same<z.output<typeof Column>, EngineColumn>>,
  Agree<Same<z.output<typeof ReadNote>, EngineReadNote>>,
  Agree<Same<z.output<typeof ReadResult>, EngineReadResult>>,
  Agree<Same<z.output<typeof ColumnSuggestion>, EngineColumnSuggestion>>,
  Agree<Same<z.output<typeof MessageExplanation>, EngineMessageExplanation>>,
  Agree<Same<z.output<typeof MappingProblem>, EngineMappingProblem>>,
  Agree<Same<z.output<typeof PreviewSummary>, EnginePreviewSummary>>,
  Agree<Same<z.output<typeof BatchInfo>, EngineBatchInfo>>,
  Agree<Same<z.output<typeof RunState>, EngineRunState>>,
  Agree<Same<z.output<typeof RunKind>, EngineRunKind>>,
  Agree<Same<z.output<typeof MessageOutcome>, EngineMessageOutcome>>,
  Agree<Same<z.output<typeof TypeCounts>, EngineTypeCounts>>,
  Agree<Same<Omit<z.output<typeof RerunPlan>, PlanFromMain>, EngineRerunPlan>>,
];
