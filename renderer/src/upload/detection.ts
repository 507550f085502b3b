import { ENCODING_LABELS, type ReadResult } from '../../../app/contract.ts';

/**
 * How sure the encoding's detection is, in words: "Detected" when certain (a byte-order mark, UTF-8), the
 * confidence when it is a statistical guess, and the other likely encodings when it is unsure.
 */
export function describeDetection(result: ReadResult): string {
  const { encoding, encodingConfidence: confidence, encodingAlternatives: alternatives = [] } = result.detected;
  const percent = confidence === undefined ? null : Math.round(confidence * 100);
  const sure = percent === null || percent >= 100 ? '' : `${percent}% sure`;
  if (result.encoding !== encoding) {
    return `Detected: ${ENCODING_LABELS[encoding]}${sure ? ` (${sure})` : ''}`;
  }
  if (!sure) return 'Detected';
  if ((confidence ?? 1) >= 0.9) return `Detected, ${sure}`;
  const others = alternatives.slice(0, 2).map((other) => ENCODING_LABELS[other].replace(/ \(.*\)$/, ''));
  return (
    `Best guess, ${sure}: check the rows below read correctly` +
    (others.length > 0 ? `, or try ${others.join(' or ')}` : '') +
    '.'
  );
}
