import { translate, type Language, type MessageKey } from '../../shared/i18n';
import { baseStyle, phrased } from '../web/phrases';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): T {
  return (key, params) => escapeHtml(translate(language, key, params));
}

/** The phone page's frame: a small mobile page in the spirit of the My BMW app, no script. */
export function page(language: Language, title: string, body: string): string {
  return phrased(`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/device/style.css">
<link rel="icon" type="image/svg+xml" href="/device/icon.svg">
</head>
<body>
<header><span class="brand">My BMW</span><h1>${title}</h1></header>
<main>${body}</main>
</body>
</html>`);
}

export const style = `${baseStyle}
:root { color-scheme: light dark; font-family: system-ui, "Noto Sans CJK JP", sans-serif; }
body { margin: 0; background: #0b1220; color: #e8eef8; }
header { padding: 20px 20px 8px; }
.brand { color: #5b9bf0; font-weight: 600; letter-spacing: .04em; }
h1 { font-size: 22px; font-weight: 500; margin: 8px 0 0; }
main { padding: 12px 20px 32px; max-width: 480px; }
p { line-height: 1.5; }
.card { background: #151f33; border-radius: 12px; padding: 16px; margin: 16px 0; }
.code { font: 600 22px ui-monospace, monospace; letter-spacing: .12em; }
.error { color: #ff8a80; }
label { display: block; margin: 14px 0 6px; color: #9fb0cc; }
input { width: 100%; box-sizing: border-box; padding: 12px; font-size: 17px; border-radius: 8px; border: 1px solid #33425e; background: #0e1626; color: inherit; }
button { width: 100%; padding: 14px; margin-top: 16px; font-size: 17px; border-radius: 24px; border: 0; background: #1c69d4; color: #fff; }
button.secondary { background: transparent; border: 1px solid #5b6b88; }
.link { background: none; border: 0; color: #5b9bf0; padding: 0; margin-top: 24px; width: auto; font-size: 15px; }
`;

/** The page's icon (browsers ask for one; without it every load logs a 404). */
export const icon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1c69d4"/><text x="32" y="42" font-family="sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">ID</text></svg>';
