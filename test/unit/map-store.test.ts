import { describe, expect, it } from 'vitest';
import type { Mapping, MappingProblem } from '../../app/contract.ts';
import { answer, freshStoreEachTest, installBridge } from '../support/bridge.ts';

const FILE = '0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11';
const mappingOf = (column: string): Mapping => ({
  version: 1,
  conflicts: 'flag',
  messages: [{ type: 'account', fields: { accountId: { column } }, traits: [] }],
});
const gone: MappingProblem = {
  code: 'missing-column',
  severity: 'error',
  columns: ['Account ID'],
  message: 'The file has no column “Account ID” any more.',
  fixes: [],
};

describe('the map store', () => {
  freshStoreEachTest();

  it('loads the mapping, suggestions and sample again when the same file is read with other columns', async () => {
    let columns = ['Account ID'];
    const calls: { name: string; args: unknown }[] = [];
    installBridge(
      {
        getMapping: () =>
          answer({
            mapping: mappingOf('Account ID'),
            saved: true,
            suggestions: columns.map((column) => ({
              column,
              target: { kind: 'trait', key: column.toLowerCase(), type: 'text' },
              confidence: 0.5,
              reason: 'Its values are text.',
            })),
            localTimeZone: 'Europe/Berlin',
          }),
        sampleMapping: () =>
          answer({
            rows: [{ rowNumber: 2, messages: [`{"columns":${JSON.stringify(columns)}}`], problems: [] }],
            gaps: [],
            problems: columns.includes('Account ID') ? [] : [gone],
          }),
        saveMapping: () => answer({ saved: true }),
      },
      calls,
    );
    const { useMap } = await import('../../renderer/src/stores/map.ts');
    const { useWizard } = await import('../../renderer/src/stores/wizard.ts');
    await useMap.getState().load(FILE, 'Account ID');
    expect(useMap.getState()).toMatchObject({ status: 'ready', problems: [], localTimeZone: 'Europe/Berlin' });
    expect(useWizard.getState().facts.mappingReady).toBe(true);

    // The same columns: nothing is asked again.
    const asked = calls.length;
    await useMap.getState().load(FILE, 'Account ID');
    expect(calls.length).toBe(asked);

    // Read again with another header row: new columns, new suggestions and sample, and the gone column blocks.
    columns = ['A1', 'Acme'];
    await useMap.getState().load(FILE, 'A1\u0000Acme');
    expect(useMap.getState().suggestions.map((s) => s.column)).toEqual(['A1', 'Acme']);
    expect(useMap.getState().sample[0]?.messages[0]).toBe('{"columns":["A1","Acme"]}');
    expect(useMap.getState().problems).toEqual([gone]);
    expect(useWizard.getState().facts.mappingReady).toBe(false);
  });
});
