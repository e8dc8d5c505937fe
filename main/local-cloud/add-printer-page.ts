import { createHash } from 'node:crypto';
import { ADD_PRINTER_PATH, DEEP_LINK_CALLBACK } from '../../shared/contract/add-printer.js';

/** Content of the add-printer page and its form. Every field is escaped where it is echoed. */
export interface AddPrinterPageView {
  state: string;
  /** A callback already checked by `canonicalLinkCallback`. */
  callback: string;
  count: number;
  names: readonly string[];
}

const STYLE = [
  'body{font:16px system-ui,sans-serif;margin:3rem auto;max-width:32rem;padding:0 1rem}',
  'button{font:inherit;padding:.5rem 1.25rem}',
  'code{word-break:break-all}',
].join('');

/** The inline style is allowed by its hash, so the policy needs no 'unsafe-inline'. */
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * Response headers of the page. The policy allows no script and no external resource. Its
 * `form-action` names the callback too, because Chromium (checked with version 156) applies it
 * to the redirect that follows the form post. The referrer policy is `same-origin`, because under
 * `no-referrer` Chromium sends `Origin: null` with the form post, which the origin check rejects.
 */
export function addPrinterPageHeaders(callback: string): Record<string, string> {
  const target = callback === DEEP_LINK_CALLBACK ? 'owl:' : new URL(callback).origin;
  const policy = [
    "default-src 'none'",
    `style-src ${STYLE_SOURCE}`,
    `form-action 'self' ${target}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** Renders the page with one "Add printer" button that posts the form back to this server. */
export function renderAddPrinterPage(view: AddPrinterPageView): string {
  const title = view.count === 1 ? 'Add printer' : `Add ${view.count} printers`;
  const names = view.names.map((name) => `<li>${escapeHtml(name)}</li>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title} · Owl local cloud</title><style>${STYLE}</style></head><body><main>`,
    `<h1>${title}</h1>`,
    `<p>moonraker-owl asks to link ${describeCount(view.count)} to this local cloud.</p>`,
    names === '' ? '' : `<ul>${names}</ul>`,
    `<p>The link codes go back to <code>${escapeHtml(view.callback)}</code>.</p>`,
    `<form method="post" action="${ADD_PRINTER_PATH}">`,
    hiddenField('state', view.state),
    hiddenField('callback', view.callback),
    hiddenField('count', String(view.count)),
    '<button type="submit">Add printer</button></form></main></body></html>',
  ].join('\n');
}

/** Escapes text for HTML element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function hiddenField(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

function describeCount(count: number): string {
  return count === 1 ? 'one printer' : `${count} printers`;
}
