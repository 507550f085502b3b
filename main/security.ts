/**
 * The Content Security Policy of every page the app shows, in both hosts: only the app's own scripts, styles,
 * images and fonts; calls only to the app's own origin; no frames, no forms posting elsewhere, no plugins.
 * React sets styles through the CSSOM, which `style-src 'self'` allows without `'unsafe-inline'`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
