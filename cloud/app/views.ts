import type { Language } from '../../shared/i18n';
import { escapeHtml } from '../phone/page';
import { hidden, sitePage, type GuideStep } from '../web/html';
import type { AppKey, AppT } from './text';

/** One page of the My BMW app: the app's frame, its words in the phone's language, the guide step. */
export function appPage(language: Language, t: AppT, title: AppKey, body: string, step?: GuideStep, tabs = false): string {
  const tabBar = tabs
    ? `<nav class="tabs"><a href="/app/home">My BMW</a><a href="/app/profile" aria-label="${escapeHtml(t('app.profileTab'))}" data-tab="profile">${personIcon}</a></nav>`
    : '';
  return sitePage({ lang: language, title: t(title), brand: 'MY BMW', css: '/app/style.css', body: body + tabBar, ...(step ? { step } : {}) });
}

/** The person icon of the Profile tab (guide step 9: "the Profile Tab at the bottom right"). */
const personIcon = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-7 8-7s8 3 8 7" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>';

export const field = (id: string, label: string, attributes: string, value = '') =>
  `<label for="${id}">${escapeHtml(label)}</label><input id="${id}" name="${id}" ${attributes} value="${escapeHtml(value)}">`;
export const form = (action: string, csrf: string, inner: string) => `<form method="post" action="${action}">${hidden('csrf', csrf)}${inner}</form>`;
export const button = (label: string, extra = '') => `<button ${extra}>${escapeHtml(label)}</button>`;
export const link = (href: string, label: string, cls = 'button') => `<a class="${cls}" href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

export const appStyle = `
:root { font-family: system-ui, "Noto Sans CJK JP", sans-serif; color-scheme: dark; }
body { margin: 0; background: #0b1220; color: #e8eef8; min-height: 100vh; }
header { padding: 20px 20px 8px; }
.brand { color: #5b9bf0; font-weight: 700; letter-spacing: .08em; }
h1 { font-size: 22px; font-weight: 500; margin: 8px 0 0; }
main { padding: 12px 20px 96px; max-width: 480px; }
p { line-height: 1.5; }
.card { background: #151f33; border-radius: 12px; padding: 16px; margin: 16px 0; }
.error { color: #ff8a80; }
.note { color: #9fb3c8; font-size: 14px; border-left: 3px solid #4a6c8f; padding-left: 10px; }
.active { color: #7ee2a0; font-weight: 600; }
label { display: block; margin: 14px 0 6px; color: #9fb0cc; }
label.check { display: flex; gap: 10px; color: inherit; }
input, select { width: 100%; box-sizing: border-box; padding: 12px; font-size: 17px; border-radius: 8px; border: 1px solid #33425e; background: #0e1626; color: inherit; }
label.check input { width: auto; }
button, .button { display: block; box-sizing: border-box; width: 100%; text-align: center; text-decoration: none; padding: 14px; margin-top: 16px; font-size: 17px; border-radius: 24px; border: 0; background: #1c69d4; color: #fff; }
.secondary { background: transparent; border: 1px solid #5b6b88; }
.text-link { display: block; margin-top: 20px; color: #5b9bf0; }
.list a { display: flex; justify-content: space-between; padding: 16px 4px; border-bottom: 1px solid #243451; color: inherit; text-decoration: none; }
.tabs { position: fixed; bottom: 0; left: 0; right: 0; display: flex; justify-content: space-between; align-items: center; padding: 12px 24px; background: #0e1626; border-top: 1px solid #243451; }
.tabs a { color: #e8eef8; text-decoration: none; }
.dialog { background: #1b2740; border-radius: 14px; padding: 20px; margin-top: 40px; text-align: center; }
`;
