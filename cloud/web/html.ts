import type { FastifyReply, FastifyRequest } from 'fastify';
import { languageFromLocale, type Language } from '../../shared/i18n';
import { escapeHtml } from '../phone/page';
import { phrased } from './phrases';

export { baseStyle } from './phrases';

/** The browser's language, from its first Accept-Language choice (Japanese or English). */
export function languageOf(request: FastifyRequest): Language {
  return languageFromLocale(request.headers['accept-language']?.split(',')[0]);
}

/** A page of one of the sites: HTML, never cached (pages carry form tokens and, once logged in, the account). */
export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** A message about what went wrong, read out by screen readers (escaped); nothing without one. */
export function alertLine(text: string | null | undefined): string {
  return text ? `<p class="error" role="alert">${escapeHtml(text)}</p>` : '';
}

/**
 * A form field's problem: the message under its label (read out at once) and the attributes that
 * mark the field and tie it to the message; empty strings when there is none.
 */
export function fieldProblem(id: string, message: string | null | undefined): { message: string; attributes: string } {
  if (!message) return { message: '', attributes: '' };
  return {
    message: `<p class="field-error" id="${id}-error" role="alert">${escapeHtml(message)}</p>`,
    attributes: ` aria-invalid="true" aria-describedby="${id}-error"`,
  };
}

/** A value as a hidden form field (escaped). */
export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** The guide step a page is (Japanese numbering; the English guide's number where it differs), for tests and automation. */
export interface GuideStep {
  step: string;
  en?: string;
}

/**
 * A mobile-first page of one of the cloud's sites: no script, its own stylesheet, the guide step in
 * `data-guide-step` on the body, and the newest text message as a banner when the phone has one.
 * The header (the site's wordmark, when it has one, and the title as the page's heading) is left
 * out with `header: false`, for a page whose body has its own heading (a system alert).
 */
export function sitePage(options: {
  lang: string;
  title: string;
  brand: string;
  css: string;
  body: string;
  step?: GuideStep;
  banner?: string | null;
  header?: boolean;
}): string {
  const step = options.step
    ? ` data-guide-step="${escapeHtml(options.step.step)}"${options.step.en ? ` data-guide-step-en="${escapeHtml(options.step.en)}"` : ''}`
    : '';
  const banner = options.banner ? `<aside class="sms" role="status" data-sms>${escapeHtml(options.banner)}</aside>` : '';
  const html = `<!doctype html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${escapeHtml(options.css)}">
</head>
<body${step}>
${banner}${options.header === false ? '' : `<header>${options.brand ? `<span class="brand">${escapeHtml(options.brand)}</span>` : ''}<h1>${escapeHtml(options.title)}</h1></header>`}
<main>${options.body}</main>
</body>
</html>`;
  return phrased(html);
}

/** A site's words in one language, `{name}` parameters filled in: `texts(catalog)(key, params)`. */
export function texts<K extends string>(catalog: Record<K, string>): (key: K, params?: Record<string, string | number>) => string {
  return (key, params = {}) => catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
