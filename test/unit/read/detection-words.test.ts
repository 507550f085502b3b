import { describe, expect, it } from 'vitest';
import type { ReadResult } from '../../../app/contract.ts';
import { describeDetection } from '../../../renderer/src/upload/detection.ts';

const result = (encoding: ReadResult['encoding'], detected: Partial<ReadResult['detected']>): ReadResult => ({
  format: 'delimited',
  sheet: null,
  sheets: [],
  encoding,
  delimiter: ',',
  headerRow: 1,
  columns: [],
  rowCount: 1,
  notes: [],
  detected: { encoding: 'utf-8', delimiter: ',', headerRow: 1, ...detected },
});

describe('how Upload words the encoding’s detection', () => {
  it('says Detected when it is certain, and how sure otherwise', () => {
    expect(describeDetection(result('utf-8', { encodingConfidence: 1 }))).toBe('Detected');
    expect(describeDetection(result('utf-8', {}))).toBe('Detected');
    expect(describeDetection(result('shift_jis', { encoding: 'shift_jis', encodingConfidence: 0.97 }))).toBe(
      'Detected, 97% sure',
    );
  });

  it('asks for a look at the rows, naming what else is likely, when it is unsure', () => {
    const unsure = result('windows-1252', {
      encoding: 'windows-1252',
      encodingConfidence: 0.55,
      encodingAlternatives: ['windows-1250', 'iso-8859-2', 'windows-1251'],
    });
    expect(describeDetection(unsure)).toBe(
      'Best guess, 55% sure: check the rows below read correctly, or try Windows-1250 or ISO-8859-2.',
    );
  });

  it('names what was detected when the user chose another encoding', () => {
    expect(describeDetection(result('windows-1252', { encoding: 'utf-8', encodingConfidence: 0.99 }))).toBe(
      'Detected: UTF-8 (99% sure)',
    );
  });
});
