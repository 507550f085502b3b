import { describe, expect, it } from 'vitest';
import { parseWorkspaceAddress } from '../../app/send/address.ts';

describe('a Vitally address written with the DNS root’s trailing dot', () => {
  it.each([
    ['acme.vitally.io.', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.vitally.io./accounts', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.api.vitally.io./analytics/v1/', 'https://acme.api.vitally.io/analytics/v1'],
    ['https://acme.rest.vitally.io./resources/users', 'https://acme.api.vitally.io/analytics/v1'],
  ])('%s is the workspace’s Analytics API, not its login page', (input, baseUrl) => {
    expect(parseWorkspaceAddress(input)).toMatchObject({ ok: true, baseUrl, subdomain: 'acme' });
  });

  it('the EU REST host with a trailing dot is still refused as a REST address', () => {
    expect(parseWorkspaceAddress('https://acme.rest.vitally-eu.io./')).toMatchObject({ ok: false });
  });
});
