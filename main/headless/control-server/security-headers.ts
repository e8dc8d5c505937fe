import type { OutgoingHttpHeaders } from 'node:http';

/**
 * Content Security Policy of the served UI: its own scripts and styles (inline styles too, which
 * React style props need), images from itself or data URLs, and sockets back to the loopback
 * service. Nothing may frame the page, and it posts no forms.
 */
export const CONTROL_UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every HTTP response of the control server. `Referrer-Policy: no-referrer` keeps
 * the token in the page address from leaking to any link the page opens.
 */
export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  'content-security-policy': CONTROL_UI_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});
