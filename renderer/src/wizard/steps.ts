/** The wizard's steps, in order, and the rules that say which of them the user can open. */
export const STEP_IDS = ['connect', 'upload', 'map', 'preview', 'send', 'results'] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepDefinition {
  id: StepId;
  title: string;
  /** One line under the title, saying what the step is for. */
  summary: string;
}

export const STEPS: readonly StepDefinition[] = [
  { id: 'connect', title: 'Connect', summary: 'Your Vitally workspace and its API token' },
  { id: 'upload', title: 'Upload', summary: 'The spreadsheet to import' },
  { id: 'map', title: 'Map', summary: 'What each column becomes in Vitally' },
  { id: 'preview', title: 'Preview', summary: 'Problems to fix and the exact batches' },
  { id: 'send', title: 'Send', summary: 'Sending to Vitally, with live progress' },
  { id: 'results', title: 'Results', summary: 'What was accepted, what failed and why' },
];

/** What the user has done so far; each later issue's step sets its own fact. */
export interface WizardFacts {
  workspaceConnected: boolean;
  fileLoaded: boolean;
  mappingReady: boolean;
  previewReviewed: boolean;
  runStarted: boolean;
  runFinished: boolean;
}

export const NO_FACTS: WizardFacts = {
  workspaceConnected: false,
  fileLoaded: false,
  mappingReady: false,
  previewReviewed: false,
  runStarted: false,
  runFinished: false,
};

export type StepStatus =
  | { kind: 'done' }
  | { kind: 'todo' }
  /** Not yet possible; `reason` says what to do first. */
  | { kind: 'locked'; reason: string; unlockStep: StepId };

interface Prerequisite {
  fact: keyof WizardFacts;
  reason: string;
  unlockStep: StepId;
}

const LOADED: Prerequisite = { fact: 'fileLoaded', reason: 'Upload a spreadsheet first.', unlockStep: 'upload' };
const MAPPED: Prerequisite = { fact: 'mappingReady', reason: 'Map the columns first.', unlockStep: 'map' };
const REVIEWED: Prerequisite = { fact: 'previewReviewed', reason: 'Review the preview first.', unlockStep: 'preview' };
const CONNECTED: Prerequisite = {
  fact: 'workspaceConnected',
  reason: 'Connect a workspace first.',
  unlockStep: 'connect',
};
const STARTED: Prerequisite = { fact: 'runStarted', reason: 'Send an import first.', unlockStep: 'send' };

/**
 * What each step needs, in the order the user should do it, and the fact that marks it done. Connecting and
 * uploading can happen in either order; sending needs both.
 */
const RULES: Record<StepId, { needs: readonly Prerequisite[]; doneWhen: keyof WizardFacts }> = {
  connect: { needs: [], doneWhen: 'workspaceConnected' },
  upload: { needs: [], doneWhen: 'fileLoaded' },
  map: { needs: [LOADED], doneWhen: 'mappingReady' },
  preview: { needs: [LOADED, MAPPED], doneWhen: 'previewReviewed' },
  send: { needs: [LOADED, MAPPED, REVIEWED, CONNECTED], doneWhen: 'runFinished' },
  results: { needs: [LOADED, MAPPED, REVIEWED, CONNECTED, STARTED], doneWhen: 'runFinished' },
};

/** Whether a step is done, open, or locked — and if locked, the first thing to do and where. */
export function stepStatus(step: StepId, facts: WizardFacts): StepStatus {
  const rule = RULES[step];
  const missing = rule.needs.find((prerequisite) => !facts[prerequisite.fact]);
  // A run that exists (one resumed from History, say) can always be watched and its results read; but it is
  // "Done" only where the steps before it are too, so that the list never says Send is done while Map is not.
  if ((step === 'send' || step === 'results') && facts.runStarted)
    return facts[rule.doneWhen] && !missing ? { kind: 'done' } : { kind: 'todo' };
  if (missing) return { kind: 'locked', reason: missing.reason, unlockStep: missing.unlockStep };
  return facts[rule.doneWhen] ? { kind: 'done' } : { kind: 'todo' };
}

export function stepIndex(step: StepId): number {
  return STEP_IDS.indexOf(step);
}

export function stepDefinition(step: StepId): StepDefinition {
  const definition = STEPS[stepIndex(step)];
  if (!definition) throw new Error(`Unknown step ${step}`);
  return definition;
}
