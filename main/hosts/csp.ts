/**
 * The display's Content Security Policy, the same for both hosts: our own scripts and styles only,
 * no eval, no inline script, no frames, no plugins. `data:` images are the QR codes the core draws.
 */
export const contentSecurityPolicy = [
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

/** The same policy for a <meta> element, which cannot carry `frame-ancestors` (the headers keep it). */
export const metaContentSecurityPolicy = contentSecurityPolicy
  .split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
