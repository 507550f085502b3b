import { create } from 'zustand';
import { NO_FACTS, type StepId, type WizardFacts } from '../wizard/steps.ts';

export type View = { kind: 'step'; step: StepId } | { kind: 'history' };

interface WizardState {
  view: View;
  facts: WizardFacts;
  /** Opens a step. A locked step opens too, and says what to do first. */
  goTo: (step: StepId) => void;
  showHistory: () => void;
  setFacts: (facts: Partial<WizardFacts>) => void;
}

/** Where the user is in the wizard and what they have done. */
export const useWizard = create<WizardState>()((set, get) => ({
  view: { kind: 'step', step: 'connect' },
  facts: NO_FACTS,
  goTo(step) {
    set({ view: { kind: 'step', step } });
  },
  showHistory() {
    set({ view: { kind: 'history' } });
  },
  setFacts(facts) {
    set({ facts: { ...get().facts, ...facts } });
  },
}));
