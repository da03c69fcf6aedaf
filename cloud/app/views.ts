import type { Language } from '../../shared/i18n';
import { escapeHtml } from '../phone/page';
import { baseStyle, hidden, sitePage, type GuideStep } from '../web/html';
import type { AppKey, AppT } from './text';

/** How a page of the app is framed: with the tab bar (and which tab is open), or as the start page's hero. */
export interface AppFrame {
  tab?: 'home' | 'profile';
  /** the start pages: the app's name large over the car, no title bar */
  hero?: boolean;
  /** the settings button at the title bar's right (the Profile tab's) */
  settings?: boolean;
}

/**
 * One page of the My BMW app: a title bar (or the start pages' hero), its words in the phone's
 * language, the guide step, and the tab bar at the bottom (guide step 9: "the Profile Tab at the
 * bottom right") once the app is set up.
 */
export function appPage(language: Language, t: AppT, title: AppKey, body: string, step?: GuideStep, frame: AppFrame = {}): string {
  const tab = (id: 'home' | 'profile', href: string, icon: string, label: AppKey) =>
    `<a href="${href}" data-tab="${id}"${frame.tab === id ? ' aria-current="page"' : ''}>${icon}<span>${escapeHtml(t(label))}</span></a>`;
  const tabBar = frame.tab
    ? `<nav class="tabs">${tab('home', '/app/home', carIcon, 'app.homeTab')}${tab('profile', '/app/profile', personIcon, 'app.profileTab')}</nav>`
    : '';
  const hero = frame.hero ? `<div class="hero"><h1 class="wordmark">MY BMW</h1>${carArt}</div>` : '';
  const settings = frame.settings
    ? `<a class="title-action" href="/app/settings" aria-label="${escapeHtml(t('app.settings'))}" data-link="settings">${gearIcon}</a>`
    : '';
  return sitePage({
    lang: language,
    title: t(title),
    brand: '',
    css: '/app/style.css',
    body: settings + hero + body + tabBar,
    header: !frame.hero,
    ...(step ? { step } : {}),
  });
}

/**
 * A system alert over what the phone shows, as iOS and Android draw one: a small box with the
 * question and its actions side by side (guide step 39, "Open in My BMW?" over the carrier's page
 * the browser still shows; step 40, "Request completed" over the app). Its title is the page's
 * heading; an action that is a link to `#dismissed` closes it without a script.
 */
export function alertPage(language: Language, t: AppT, title: AppKey, behind: string, actions: string, step: GuideStep, text?: string): string {
  const body = `${behind}<span id="dismissed"></span><div class="scrim"><div class="alert" role="alertdialog" aria-modal="true" aria-labelledby="alert-title">
<h1 id="alert-title">${escapeHtml(t(title))}</h1>${text ? `<p>${escapeHtml(text)}</p>` : ''}<div class="alert-actions">${actions}</div></div></div>`;
  return sitePage({ lang: language, title: t(title), brand: '', css: '/app/style.css', body, header: false, step });
}

/** The Profile tab's icon: a person. */
const personIcon =
  '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-7 8-7s8 3 8 7" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>';
/** The settings button's icon: a gear. */
const gearIcon =
  '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/><circle cx="12" cy="12" r="6.5" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>';
/** The home tab's icon: a car seen from the side. */
const carIcon =
  '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M3 15.5V13l2.2-4.2A2 2 0 0 1 7 7.7h8.6a2 2 0 0 1 1.6.8L20 12l1 1v2.5M3 15.5h2m4 0h6m4 0h2M7 17.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm10 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/></svg>';
/** The car on the start page and the home page: the project's own drawing of a saloon, not a photograph. */
export const carArt = `<svg class="car-art" viewBox="0 0 320 110" aria-hidden="true">
<defs><linearGradient id="body" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#5d6f8c"/><stop offset="1" stop-color="#243149"/></linearGradient></defs>
<ellipse cx="160" cy="98" rx="150" ry="8" fill="#000" opacity=".35"/>
<path d="M18 78c0-10 6-16 18-19l44-8 38-22c8-4 16-6 26-6h58c12 0 22 4 31 11l26 19 30 6c10 2 15 8 15 17v6c0 4-3 7-7 7H25c-4 0-7-3-7-7z" fill="url(#body)"/>
<path d="M124 34c6-4 14-6 22-6h28v26h-69zM182 28h20c10 0 18 3 26 9l14 11v6h-60z" fill="#9fb7d9" opacity=".55"/>
<circle cx="82" cy="88" r="17" fill="#10151f"/><circle cx="82" cy="88" r="8" fill="#6b7a90"/>
<circle cx="246" cy="88" r="17" fill="#10151f"/><circle cx="246" cy="88" r="8" fill="#6b7a90"/>
<path d="M286 66h14" stroke="#e8eef8" stroke-width="3" stroke-linecap="round"/><path d="M22 68h10" stroke="#ff5a4f" stroke-width="3" stroke-linecap="round"/>
</svg>`;

export const field = (id: string, label: string, attributes: string, value = '') =>
  `<label for="${id}">${escapeHtml(label)}</label><input id="${id}" name="${id}" ${attributes} value="${escapeHtml(value)}">`;
export const form = (action: string, csrf: string, inner: string) => `<form method="post" action="${action}">${hidden('csrf', csrf)}${inner}</form>`;
export const button = (label: string, extra = '') => `<button ${extra}>${escapeHtml(label)}</button>`;
export const link = (href: string, label: string, cls = 'button') => `<a class="${cls}" href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

export const appStyle = `${baseStyle}
:root { font-family: system-ui, "Noto Sans CJK JP", sans-serif; color-scheme: dark; }
body { margin: 0; background: #0b1220; color: #e8eef8; min-height: 100vh; }
header { position: sticky; top: 0; z-index: 1; padding: 14px 20px; background: rgba(11, 18, 32, .92); border-bottom: 1px solid #1d2940; }
h1 { font-size: 17px; font-weight: 600; margin: 0; text-align: center; }
h2 { font-size: 20px; font-weight: 500; margin: 0 0 4px; }
main { padding: 12px 20px 104px; max-width: 480px; margin: 0 auto; }
p { line-height: 1.5; }
.hero { text-align: center; padding: 48px 0 8px; }
.wordmark { font-size: 30px; font-weight: 300; letter-spacing: .32em; margin: 0 0 24px; }
.car-art { display: block; width: 100%; max-width: 340px; height: auto; margin: 0 auto; }
.card { background: #151f33; border-radius: 14px; padding: 16px; margin: 16px 0; }
.vehicle { text-align: center; padding: 8px 0 4px; }
.vehicle .greeting { color: #9fb0cc; margin: 0 0 8px; }
.tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin: 20px 0; }
.tile { display: flex; flex-direction: column; gap: 6px; min-height: 84px; padding: 14px; border-radius: 14px; background: #151f33; color: inherit; text-decoration: none; }
.tile-label { color: #9fb0cc; font-size: 13px; }
.tile-value { font-size: 16px; font-weight: 600; }
.error { color: #ff8a80; }
.note { color: #9fb3c8; font-size: 14px; border-left: 3px solid #4a6c8f; padding-left: 10px; }
.active { color: #7ee2a0; font-weight: 600; }
label { display: block; margin: 14px 0 6px; color: #9fb0cc; }
label.check { display: flex; gap: 10px; color: inherit; }
input, select { width: 100%; box-sizing: border-box; padding: 12px; font-size: 17px; border-radius: 8px; border: 1px solid #33425e; background: #0e1626; color: inherit; }
label.check input { width: auto; }
button, .button { display: block; box-sizing: border-box; width: 100%; text-align: center; text-decoration: none; padding: 14px; margin-top: 20px; font-size: 16px; font-weight: 600; letter-spacing: .04em; border-radius: 24px; border: 0; background: #1c69d4; color: #fff; }
.secondary { background: transparent; border: 1px solid #5b6b88; }
.text-link { display: block; margin-top: 20px; color: #5b9bf0; text-align: center; }
.list a { display: flex; justify-content: space-between; padding: 16px 4px; border-bottom: 1px solid #243451; color: inherit; text-decoration: none; }
.tabs { position: fixed; bottom: 0; left: 0; right: 0; display: flex; justify-content: space-around; padding: 8px 24px 14px; background: #0e1626; border-top: 1px solid #243451; }
.tabs a { display: flex; flex-direction: column; align-items: center; gap: 2px; font-size: 11px; color: #8292ad; text-decoration: none; }
.tabs a[aria-current="page"] { color: #e8eef8; }
/* a system alert over the page it interrupts (the phone's, not the app's: iOS/Android style) */
.scrim { position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; background: rgba(0, 0, 0, .45); }
#dismissed:target + .scrim { display: none; }
.alert { width: 270px; border-radius: 14px; background: rgba(242, 242, 247, .97); color: #000; text-align: center; overflow: hidden; }
.alert h1, .alert p { margin: 0; padding: 18px 16px 0; font-size: 17px; font-weight: 600; line-height: 1.3; }
.alert p + p, .alert h1 + p { padding-top: 4px; font-size: 13px; font-weight: 400; }
.alert-actions { display: flex; margin-top: 18px; border-top: 1px solid #c6c6c8; }
.alert-actions > * { flex: 1; }
.alert-actions a, .alert-actions button { display: block; margin: 0; padding: 11px 8px; border-radius: 0; background: none; color: #0a84ff; font-size: 17px; font-weight: 400; letter-spacing: 0; text-decoration: none; }
.alert-actions > * + * { border-left: 1px solid #c6c6c8; }
.alert-actions button { font-weight: 600; }
.alert-actions form { margin: 0; }
/* the carrier's page the browser still shows behind the alert */
.browser-page { box-sizing: border-box; margin: -12px -20px -104px; min-height: 100vh; padding: 16px 20px; background: #fff; color: #222; }
.browser-page .site { color: #cc0033; font-weight: 700; margin: 0; }
.browser-page a { color: #0060bf; }
.bar { margin: -12px -20px 0; padding: 14px 20px; text-align: center; font-weight: 600; border-bottom: 1px solid #1d2940; }
.intro { text-align: center; color: #c5d0e2; }
.title-action { position: fixed; top: 10px; right: 16px; z-index: 2; padding: 4px; color: #e8eef8; }
`;
