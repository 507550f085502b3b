/**
 * Where a workspace's Analytics API lives (decision 1 of the API reference's §11): `https://<subdomain>.api.
 * vitally.io/analytics/v1` from the subdomain the user types — a pasted login address such as
 * `https://acme.vitally.io/accounts` is understood — or any other base URL (EU data centre, a proxy, the
 * emulator). Plain `http:` only for this computer.
 */
export type AddressResult = { ok: true; baseUrl: string; subdomain: string | null } | { ok: false; message: string };

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function parseWorkspaceAddress(input: string): AddressResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter your Vitally subdomain, such as “acme”.' };
  if (SUBDOMAIN.test(text)) return fromSubdomain(text.toLowerCase());
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, message: `“${text}” is neither a subdomain nor a web address.` };
  }
  const host = url.hostname.toLowerCase();
  // A login address: https://acme.vitally.io/...
  const login = /^([a-z0-9-]+)\.vitally\.io$/.exec(host);
  if (login?.[1] && login[1] !== 'api' && login[1] !== 'rest' && login[1] !== 'docs') return fromSubdomain(login[1]);
  // An API address typed in full: https://acme.api.vitally.io/analytics/v1
  const api = /^([a-z0-9-]+)\.api\.vitally\.io$/.exec(host);
  if (api?.[1]) return fromSubdomain(api[1]);
  if (url.protocol === 'http:' && !LOOPBACK.has(host)) {
    return { ok: false, message: 'Only addresses on this computer may use http://; use https:// for anything else.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `“${text}” is not a web address.` };
  }
  if (url.username || url.password)
    return { ok: false, message: 'Put the token in the token field, not in the address.' };
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, baseUrl: `${url.origin}${path}`, subdomain: null };
}

function fromSubdomain(subdomain: string): AddressResult {
  if (!SUBDOMAIN.test(subdomain)) return { ok: false, message: `“${subdomain}” is not a valid subdomain.` };
  return { ok: true, baseUrl: `https://${subdomain}.api.vitally.io/analytics/v1`, subdomain };
}

/** The token exactly as Vitally shows it (decision 2): trimmed, with a pasted leading `Basic ` removed. */
export function cleanToken(input: string): string {
  return input
    .trim()
    .replace(/^Basic\s+/i, '')
    .trim();
}
