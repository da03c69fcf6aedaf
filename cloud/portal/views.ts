import { escapeHtml } from '../phone/page';
import { alertLine, baseStyle, fieldProblem, hidden } from '../web/html';
import type { ProfileNumber } from './numbers';
import type { PortalKey, PortalT } from './text';

/** The number being added (PC path step 5) as typed, kept on the page with what is wrong with it. */
export interface NumberForm {
  number: string;
  type: string;
  problem: PortalKey | null;
}

/** A form's field: its label, its problem if any (under the label, the control marked), and the control given its attributes. */
function field(id: string, label: string, control: (attributes: string) => string, problem: string | null = null): string {
  const { message, attributes } = fieldProblem(id, problem);
  return `<div class="field"><label for="${id}">${escapeHtml(label)}</label>${message}${control(attributes)}</div>`;
}

/** The portal's menu (the page shown marked), with the logout. */
export function nav(t: PortalT, csrf: string, current: 'esim' | 'numbers' = 'esim'): string {
  const item = (id: typeof current, href: string, label: PortalKey) => `<a href="${href}"${id === current ? ' aria-current="page"' : ''}>${t(label)}</a>`;
  return `<nav class="portal-nav">${item('esim', '/portal/esim', 'portal.personalEsim')}${item('numbers', '/portal/numbers', 'portal.numbers')}
<form method="post" action="/portal/logout">${hidden('csrf', csrf)}<button class="link">${t('portal.logout')}</button></form></nav>`;
}

/** Steps 2: the login form, the BMW ID kept after a wrong password. */
export function loginForm(t: PortalT, csrf: string, email: string, message: string | null): string {
  return `${alertLine(message)}<form class="panel" method="post" action="/portal/login">${hidden('csrf', csrf)}
${field('email', t('portal.bmwId'), () => `<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required>`)}
${field('password', t('portal.password'), () => '<input id="password" name="password" type="password" autocomplete="current-password" required>')}
<div class="actions"><button>${t('portal.loginButton')}</button></div></form>`;
}

/** Step 7: Japan, NTT DOCOMO and one of the profile's mobile numbers; what was wrong, above. */
export function activationForm(t: PortalT, csrf: string, mobiles: string[], message: string | null): string {
  return `${alertLine(message)}<form class="panel" method="post" action="/portal/esim/activate">${hidden('csrf', csrf)}
${field('country', t('portal.country'), () => `<select id="country" name="country"><option value="JP" selected>${t('portal.japan')}</option></select>`)}
${field('provider', t('portal.provider'), () => '<select id="provider" name="provider"><option value="docomo" selected>NTT DOCOMO</option></select>')}
${field('number', t('portal.mobileNumber'), () => `<select id="number" name="number">${mobiles.map((n) => `<option>${escapeHtml(n)}</option>`).join('')}</select>`)}
<div class="actions"><button>${t('portal.activate')}</button></div></form>`;
}

/** Steps 5–6: the profile's numbers, and the form to add one (kept as typed when it is wrong). */
export function numbersList(t: PortalT, csrf: string, list: ProfileNumber[], adding: NumberForm | null): string {
  const rows = list.map((n) => `<tr><td>${escapeHtml(n.number)}</td><td>${t(`portal.type.${n.type}`)}</td></tr>`).join('');
  const table =
    list.length > 0
      ? `<table class="numbers"><tr><th>${t('portal.number')}</th><th>${t('portal.numberType')}</th></tr>${rows}</table>`
      : `<p>${t('portal.noNumbers')}</p>`;
  const types = (['mobile', 'home', 'work'] as const)
    .map((k) => `<option value="${k}"${adding?.type === k ? ' selected' : ''}>${t(`portal.type.${k}`)}</option>`)
    .join('');
  const form = adding
    ? `<form class="panel" method="post" action="/portal/numbers">${hidden('csrf', csrf)}
${field('number', t('portal.number'), (attributes) => `<input id="number" name="number" type="tel" autocomplete="tel" value="${escapeHtml(adding.number)}" placeholder="090-1234-5678" required${attributes}>`, adding.problem ? t(adding.problem) : null)}
${field('type', t('portal.numberType'), () => `<select id="type" name="type">${types}</select>`)}
<div class="actions"><button>${t('portal.addNew')}</button></div></form>`
    : `<p><a class="button secondary" href="/portal/numbers?add=1">${t('portal.addNumber')}</a></p>`;
  const next = list.some((n) => n.type === 'mobile') ? `<p><a class="button" href="/portal/esim/activate">${t('portal.personalEsim')}</a></p>` : '';
  return `${table}${form}${next}`;
}

export const portalStyle = `${baseStyle}
:root { font-family: system-ui, "Noto Sans CJK JP", sans-serif; color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #262626; }
header { display: flex; align-items: baseline; gap: 24px; padding: 18px 48px; background: #fff; border-bottom: 1px solid #ddd; }
.brand { font-weight: 700; letter-spacing: .1em; color: #1c69d4; }
h1 { font-size: 22px; font-weight: 400; margin: 0; }
main { box-sizing: border-box; max-width: 880px; margin: 32px auto; padding: 32px 48px; background: #fff; border-radius: 4px; }
.portal-nav { display: flex; gap: 24px; align-items: center; margin-bottom: 24px; border-bottom: 1px solid #eee; }
.portal-nav a { color: #1c69d4; text-decoration: none; padding: 8px 0 10px; border-bottom: 2px solid transparent; }
.portal-nav a[aria-current="page"] { color: #262626; border-bottom-color: #1c69d4; }
.portal-nav form { margin-left: auto; }
.panel { max-width: 440px; }
.field { margin: 0 0 18px; }
label { display: block; margin: 0 0 6px; color: #555; }
input, select { box-sizing: border-box; width: 100%; padding: 10px; font-size: 16px; border: 1px solid #aaa; border-radius: 3px; background: #fff; color: inherit; }
[aria-invalid="true"] { border-color: #b00020; }
.field-error { margin: 0 0 6px; color: #b00020; font-size: 14px; }
.actions { margin-top: 24px; }
button, .button { display: inline-block; padding: 12px 28px; font-size: 16px; border: 0; border-radius: 3px; background: #1c69d4; color: #fff; text-decoration: none; cursor: pointer; }
.secondary { background: #fff; color: #1c69d4; border: 1px solid #1c69d4; }
button.link { background: none; color: #1c69d4; padding: 0; margin: 0; }
.error { color: #b00020; font-weight: 600; }
table { border-collapse: collapse; margin: 12px 0 20px; } th, td { text-align: left; padding: 8px 24px 8px 0; border-bottom: 1px solid #eee; } th { color: #555; font-weight: 400; }
@media (max-width: 600px) { header { padding: 14px 20px; } main { margin: 0; padding: 20px; border-radius: 0; } }
`;
