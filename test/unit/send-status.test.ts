import { describe, expect, it } from 'vitest';
import { describeStatus } from '../../main/services/send-status.ts';

describe('what the Send screen says the sender is doing', () => {
  const now = 1_000_000;

  it('says why it waits and for how long, and that nothing is lost', () => {
    expect(describeStatus({ kind: 'waiting', reason: 'rate-limited', untilMs: now + 2_500 }, now)).toEqual({
      text: 'Vitally asked us to slow down; retrying in 3 s. Nothing is lost.',
      attention: false,
    });
    const redirected = describeStatus({ kind: 'waiting', reason: 'redirected', untilMs: now + 1_000 }, now);
    expect(redirected.attention).toBe(true);
    expect(redirected.text).toContain('Check the address in Connect');
  });

  it('asks for a new token when Vitally refuses it', () => {
    expect(describeStatus({ kind: 'paused', reason: 'token', status: 401 }, now)).toMatchObject({
      needs: 'token',
      attention: true,
    });
  });

  it('counts the requests a pause or a cancel waits for, in the right number', () => {
    expect(describeStatus({ kind: 'paused', reason: 'user', inFlight: 1 }, now).text).toBe(
      'Pausing: waiting for Vitally to answer 1 request already sent.',
    );
    expect(describeStatus({ kind: 'cancelling', inFlight: 3 }, now).text).toContain('3 requests already sent');
    expect(describeStatus({ kind: 'paused', reason: 'user', inFlight: 0 }, now).text).toBe(
      'Paused. Resume whenever you are ready.',
    );
  });
});
