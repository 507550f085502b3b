import type { SenderStatus } from '../../app/send/sender.ts';

const requests = (n: number) => `${n} ${n === 1 ? 'request' : 'requests'}`;

/** What the sender is doing, for the Send screen. */
export function describeStatus(
  status: SenderStatus,
  now = Date.now(),
): { text: string; attention: boolean; needs?: 'token' } {
  const seconds = (until: number) => Math.max(1, Math.ceil((until - now) / 1000));
  switch (status.kind) {
    case 'sending':
      return {
        text: `Sending, ${status.inFlight} ${status.inFlight === 1 ? 'request' : 'requests'} at a time.`,
        attention: false,
      };
    case 'waiting': {
      const wait = `retrying in ${seconds(status.untilMs)} s`;
      if (status.reason === 'redirected') {
        return {
          text:
            'The workspace’s address sends requests elsewhere (a redirect), so nothing was taken. Check the ' +
            `address in Connect; ${wait}. Nothing is lost.`,
          attention: true,
        };
      }
      const reason = {
        'rate-limited': 'Vitally asked us to slow down',
        'server-error': 'Vitally had a problem on its side',
        timeout: 'Vitally did not answer in time',
        connection: 'The connection to Vitally dropped',
      }[status.reason];
      return { text: `${reason}; ${wait}. Nothing is lost.`, attention: false };
    }
    case 'paused':
      if (status.reason === 'token') {
        return {
          text: `Vitally refused the token (${status.status}). Paste a new one to go on; nothing is lost.`,
          attention: true,
          needs: 'token',
        };
      }
      return status.inFlight > 0
        ? {
            text: `Pausing: waiting for Vitally to answer ${requests(status.inFlight)} already sent.`,
            attention: false,
          }
        : { text: 'Paused. Resume whenever you are ready.', attention: false };
    case 'cancelling':
      return {
        text: `Cancelling: waiting for Vitally to answer ${requests(status.inFlight)} already sent, so that the counts stay exact.`,
        attention: false,
      };
    case 'holding':
      return {
        text:
          `Vitally blocks ${status.blockedTypes.join(', ')} messages for this workspace, so batches with them are held ` +
          'back and the rest sent. Contact Vitally support to unblock them.',
        attention: true,
      };
    case 'finished':
      return { text: 'Finished.', attention: false };
    case 'cancelled':
      return { text: 'Cancelled. What was not sent can be sent later.', attention: false };
  }
}
