import { describe, expect, it } from 'vitest';
import { NO_FACTS, STEP_IDS, stepStatus, type WizardFacts } from '../../renderer/src/wizard/steps.ts';
import { useWizard } from '../../renderer/src/stores/wizard.ts';

const facts = (partial: Partial<WizardFacts>): WizardFacts => ({ ...NO_FACTS, ...partial });

describe('which wizard steps are open', () => {
  it('lets a new user connect or upload first, and explains every other step', () => {
    expect(STEP_IDS.map((step) => stepStatus(step, NO_FACTS))).toEqual([
      { kind: 'todo' },
      { kind: 'todo' },
      { kind: 'locked', reason: 'Upload a spreadsheet first.', unlockStep: 'upload' },
      { kind: 'locked', reason: 'Upload a spreadsheet first.', unlockStep: 'upload' },
      { kind: 'locked', reason: 'Upload a spreadsheet first.', unlockStep: 'upload' },
      { kind: 'locked', reason: 'Upload a spreadsheet first.', unlockStep: 'upload' },
    ]);
  });

  it('opens Map once a file is loaded, and points Preview at Map', () => {
    const loaded = facts({ fileLoaded: true });
    expect(stepStatus('upload', loaded)).toEqual({ kind: 'done' });
    expect(stepStatus('map', loaded)).toEqual({ kind: 'todo' });
    expect(stepStatus('preview', loaded)).toEqual({
      kind: 'locked',
      reason: 'Map the columns first.',
      unlockStep: 'map',
    });
  });

  it('will not send before a workspace is connected, however far the rest has got', () => {
    const reviewed = facts({ fileLoaded: true, mappingReady: true, previewReviewed: true });
    expect(stepStatus('send', reviewed)).toEqual({
      kind: 'locked',
      reason: 'Connect a workspace first.',
      unlockStep: 'connect',
    });
    expect(stepStatus('send', { ...reviewed, workspaceConnected: true })).toEqual({ kind: 'todo' });
  });

  it('asks for a send before results', () => {
    const ready = facts({ fileLoaded: true, mappingReady: true, previewReviewed: true, workspaceConnected: true });
    expect(stepStatus('results', ready)).toEqual({
      kind: 'locked',
      reason: 'Send an import first.',
      unlockStep: 'send',
    });
  });

  it('shows results once a run has started, and marks both done when it finishes', () => {
    const sent = facts({ fileLoaded: true, mappingReady: true, previewReviewed: true, workspaceConnected: true });
    expect(stepStatus('results', { ...sent, runStarted: true })).toEqual({ kind: 'todo' });
    expect(stepStatus('results', { ...sent, runStarted: true, runFinished: true })).toEqual({ kind: 'done' });
    expect(stepStatus('send', { ...sent, runStarted: true, runFinished: true })).toEqual({ kind: 'done' });
  });
});

describe('a run resumed from History', () => {
  it('opens Send and Results even before a file is loaded again', () => {
    expect(stepStatus('send', facts({ runStarted: true }))).toEqual({ kind: 'todo' });
    expect(stepStatus('results', facts({ runStarted: true }))).toEqual({ kind: 'todo' });
    expect(stepStatus('preview', facts({ runStarted: true }))).toMatchObject({ kind: 'locked' });
  });

  it('is never Done while a step before it is not (a new file loaded after a finished run)', () => {
    const newFile = facts({ fileLoaded: true, workspaceConnected: true, runStarted: true, runFinished: true });
    expect(stepStatus('map', newFile)).toEqual({ kind: 'todo' });
    expect(stepStatus('send', newFile)).toEqual({ kind: 'todo' });
    expect(stepStatus('results', newFile)).toEqual({ kind: 'todo' });
  });
});

describe('the wizard store', () => {
  it('moves between steps and History', () => {
    const store = useWizard.getState();
    expect(store.view).toEqual({ kind: 'step', step: 'connect' });
    store.goTo('map');
    expect(useWizard.getState().view).toEqual({ kind: 'step', step: 'map' });
    store.showHistory();
    expect(useWizard.getState().view).toEqual({ kind: 'history' });
    store.setFacts({ fileLoaded: true });
    expect(useWizard.getState().facts).toEqual(facts({ fileLoaded: true }));
  });
});
