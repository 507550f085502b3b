/**
 * Where a workspace's Analytics API lives (decision 1 of the API reference's §11): `https://<subdomain>.api.
 * vitally.io/analytics/v1` from the subdomain the user types, or any other base URL (EU data centre, a proxy, the
 * emulator). It understands what people paste: a login address (`https://acme.vitally.io/accounts`), an API
 * address with or without `/analytics/v1`, with an endpoint such as `/batch` at the end, or the REST API's
 * address of the same workspace. Plain `http:` only for this computer. `note` says, in plain words, how a
 * pasted address was understood when that is not obvious.
 */
export type AddressResult =
  { ok: true; baseUrl: string; subdomain: string | null; note?: string } | { ok: false; message: string };

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const API_PATH = '/analytics/v1';
/** The Analytics API's endpoints (§3): a pasted endpoint address means its base. */
const ENDPOINT = /\/(?:batch|user|account|organization|track|unlink|customobjectinstance)$/i;
/** Hosts of Vitally's own sites that are not a workspace's subdomain. */
const NOT_A_WORKSPACE = new Set(['api', 'rest', 'docs', 'www', 'app', 'help', 'status']);
/** A query or fragment that carries a credential: never stored or shown as part of an address. */
const SECRET_PARAM = /[?&#](?:[a-z_-]*(?:token|key|secret|password|auth)[a-z_-]*)=/i;
const SUBDOMAIN_HINT = 'Enter your subdomain instead: the part before “.vitally.io” in the address you log in at.';

export function parseWorkspaceAddress(input: string): AddressResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter your Vitally subdomain, such as “acme”.' };
  if (SUBDOMAIN.test(text)) return fromSubdomain(text.toLowerCase());
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, message: `“${text}” is neither a subdomain nor a web address.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `“${text}” is not a web address.` };
  }
  if (url.username || url.password || SECRET_PARAM.test(url.search) || SECRET_PARAM.test(url.hash))
    return { ok: false, message: 'Put the token in the token field, not in the address.' };
  // `acme.vitally.io.` (the DNS root's dot, as some tools copy a host) is the same host.
  const host = url.hostname.toLowerCase().replace(/\.$/, '');

  // Vitally's own hosts: the subdomain is all that matters, whatever the path.
  const vitally = /^(?:([a-z0-9-]+)\.)?(?:(api|rest)\.)?vitally\.io$/.exec(host);
  if (vitally) return fromVitallyHost(vitally[1], vitally[2]);
  if (host === 'rest.vitally-eu.io' || host.endsWith('.rest.vitally-eu.io')) {
    return {
      ok: false,
      message:
        'That is the address of Vitally’s REST API in its EU data centre; imports use the Analytics API. ' +
        'Vitally does not publish the EU Analytics address: ask Vitally’s support for it and paste it here.',
    };
  }

  if (url.protocol === 'http:' && !LOOPBACK.has(host)) {
    return { ok: false, message: 'Only addresses on this computer may use http://; use https:// for anything else.' };
  }
  const path = url.pathname.replace(/\/+$/, '').replace(ENDPOINT, '');
  if (/\/resources(?:\/|$)/i.test(path)) {
    return {
      ok: false,
      message: `“${text}” is a REST API address; imports use the Analytics API, whose address ends in ${API_PATH}.`,
    };
  }
  if (path === '') {
    return {
      ok: true,
      baseUrl: `${url.origin}${API_PATH}`,
      subdomain: null,
      note: `The Analytics API lives under ${API_PATH}, so the app adds it.`,
    };
  }
  return { ok: true, baseUrl: `${url.origin}${path}`, subdomain: null };
}

/** `acme.vitally.io`, `acme.api.vitally.io`, `acme.rest.vitally.io`, and the shared hosts without a subdomain. */
function fromVitallyHost(prefix: string | undefined, api: string | undefined): AddressResult {
  if (prefix === undefined || (api === undefined && NOT_A_WORKSPACE.has(prefix))) {
    const shared = api ?? prefix;
    if (shared === 'api') {
      return {
        ok: true,
        baseUrl: `https://api.vitally.io${API_PATH}`,
        subdomain: null,
        note: `That is Vitally’s older shared address. It may still work; your own subdomain is safer. ${SUBDOMAIN_HINT}`,
      };
    }
    if (shared === 'rest') {
      return {
        ok: false,
        message: `That is the address of Vitally’s REST API, not of your workspace. ${SUBDOMAIN_HINT}`,
      };
    }
    return { ok: false, message: `That is not the address of a Vitally workspace. ${SUBDOMAIN_HINT}` };
  }
  const result = fromSubdomain(prefix);
  if (!result.ok || api !== 'rest') return result;
  return {
    ...result,
    note: `That is your workspace’s REST API address; imports go to its Analytics API at ${result.baseUrl}.`,
  };
}

function fromSubdomain(subdomain: string): AddressResult {
  if (!SUBDOMAIN.test(subdomain)) return { ok: false, message: `“${subdomain}” is not a valid subdomain.` };
  return { ok: true, baseUrl: `https://${subdomain}.api.vitally.io${API_PATH}`, subdomain };
}

/** The token exactly as Vitally shows it (decision 2): trimmed, with a pasted leading `Basic ` removed. */
export function cleanToken(input: string): string {
  return input
    .trim()
    .replace(/^Basic\s+/i, '')
    .trim();
}

/** The address as kept and shown: what the user typed, less any query or fragment (never needed to send). */
export function addressToKeep(input: string): string {
  return input.trim().replace(/[?#].*$/s, '');
}
