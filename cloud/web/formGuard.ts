import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { alertLine, languageOf, sendPage, sitePage } from './html';

/** The pages for phones and PCs and the forms they post: the QR login (`/device`), the My BMW app (`/app`), NTT DOCOMO's site (`/docomo`), the BMW web portal (`/portal`). */
export function isSitePath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return ['/device', '/app', '/docomo', '/portal'].some((site) => path === site || path.startsWith(`${site}/`)) || path === '/favicon.ico';
}

const words = {
  en: {
    title: 'The form could not be read',
    text: 'The form was too large, or not as the page sends it (a field twice, or a value that is no text). Nothing was changed.',
    back: 'Back to the page',
  },
  ja: {
    title: 'フォームを読み取れませんでした',
    text: 'フォームが大きすぎるか、ページが送る形式ではありません（同じ項目が二つ、または文字ではない値）。何も変更されていません。',
    back: 'ページに戻る',
  },
} as const;

const missing = {
  en: { title: 'Page not found', text: 'There is no page at this address.', back: 'Go to the start page' },
  ja: { title: 'ページが見つかりません', text: 'このアドレスのページはありません。', back: 'トップページへ' },
} as const;
/** Where each site starts (NTT DOCOMO's pages are opened from the app: their public page is the connected-car one). */
const siteStart: Record<string, string> = { device: '/device', app: '/app', docomo: '/docomo/connected-car', portal: '/portal' };

/** The sites' answer to an address they do not have: a page in the reader's language (404), with the way to the site's start. */
export function sendNotFoundPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const language = languageOf(request);
  const w = missing[language];
  const name = (request.url.split('?')[0] ?? '').split('/')[1] ?? '';
  const body = `${alertLine(w.text)}<p><a class="button" href="${siteStart[name] ?? '/'}">${w.back}</a></p>`;
  return sendPage(reply, sitePage({ lang: language, title: w.title, brand: '', css: `/${name}/style.css`, body }), 404);
}

/** The sites' answer to a form they cannot take (400, 413, 415): a page in the reader's language, with the way back to where they were. */
export function sendFormProblem(request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply {
  const language = languageOf(request);
  const w = words[language];
  const site = `/${(request.url.split('?')[0] ?? '').split('/')[1] ?? ''}/`;
  const body = `${alertLine(w.text)}<p><a class="button" href="${site}">${w.back}</a></p>`;
  return sendPage(reply, sitePage({ lang: language, title: w.title, brand: '', css: `${site}style.css`, body }), status);
}

/**
 * Every form post to the sites carries text fields only: a field sent twice (an array) or as an
 * object (a JSON body) is answered with the form problem page (400) before any route sees it, so
 * no route has to expect anything but strings.
 */
export function guardSiteForms(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST' || !isSitePath(request.url)) return;
    const body = request.body;
    if (body === undefined || body === null) return;
    const fields = typeof body === 'object' && !Array.isArray(body) ? Object.values(body as Record<string, unknown>) : [body];
    if (fields.some((value) => typeof value !== 'string')) return sendFormProblem(request, reply, 400);
  });
}
