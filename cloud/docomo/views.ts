import { escapeHtml } from '../phone/page';
import { alertLine, baseStyle, fieldProblem, hidden, sitePage, type GuideStep } from '../web/html';
import type { OneNumberLine } from '../carrier/carrier';
import { ages, deliveries, payments, type CustomerDetails } from './kyc';
import { docomoText } from './text';

/** The carrier's pages are Japanese, as the real ones are (the English guide shows them so too). */
export function docomoPage(title: string, body: string, step?: GuideStep, banner?: string | null): string {
  return sitePage({ lang: 'ja', title, brand: 'NTT docomo', css: '/docomo/style.css', body, ...(step ? { step } : {}), banner: banner ?? null });
}

/** Step 14, on cellular: the network PIN. */
export function pinLogin(csrf: string, message?: string): string {
  return docomoPage(
    'ネットワーク暗証番号の確認',
    `<p>ご契約時に設定したネットワーク暗証番号（4桁）を入力してください。</p>${alertLine(message)}
<form method="post" action="/docomo/login/pin">${hidden('csrf', csrf)}
<label for="pin">ネットワーク暗証番号</label><input id="pin" name="pin" type="password" inputmode="numeric" maxlength="4" autocomplete="off" required>
<button>暗証番号確認</button></form>`,
    { step: '14' },
  );
}

/** Step 14 on Wi-Fi (PC path step 8): the d ACCOUNT ID, 「次へ」; the security code goes out by SMS. */
export function dAccountLogin(csrf: string, id: string, message?: string): string {
  return docomoPage(
    'dアカウントでログイン',
    `<p>ご利用中の電話番号と紐づいたdアカウントのIDを入力してください。二段階認証のため、セキュリティコードをご契約の電話番号宛にSMSでお送りします。</p>${alertLine(message)}
<form method="post" action="/docomo/login/daccount">${hidden('csrf', csrf)}
<label for="daccount">dアカウントID</label><input id="daccount" name="dAccount" autocomplete="username" value="${escapeHtml(id)}" required>
<button>次へ</button></form>`,
    { step: '14', en: '15' },
  );
}

/** PC path step 9: the password and the security code from the SMS, 「ログイン」. */
export function codeEntry(csrf: string, dAccount: string, banner: string | null, message?: string): string {
  return docomoPage(
    'dアカウントでログイン',
    `<p>dアカウント：${escapeHtml(dAccount)}</p><p>パスワードと、SMSで届いた6桁のセキュリティコードを入力してください。</p>${alertLine(message)}
<form method="post" action="/docomo/login/code">${hidden('csrf', csrf)}
<label for="dpassword">パスワード</label><input id="dpassword" name="password" type="password" autocomplete="current-password" required>
<label for="code">セキュリティコード</label><input id="code" name="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required>
<button>ログイン</button></form>
<form method="post" action="/docomo/login/resend">${hidden('csrf', csrf)}<button class="secondary">セキュリティコードを再送する</button></form>`,
    { step: '14', en: '15' },
    banner,
  );
}

/** PC path step 11: the d ACCOUNT is not set up for the line; what to do, and the way to do it. */
export function dAccountNotSetUp(csrf: string): string {
  return docomoPage(
    'dアカウントの設定が必要です',
    `<p class="error" role="alert">お申込みの前に、ご契約の回線でdアカウントを利用する設定が必要です。</p>
<ol><li>下の「dアカウントを設定する」を押します。</li><li>設定が完了したら、ワンナンバーサービスのお申込みページに戻ります。</li></ol>
<form method="post" action="/docomo/daccount-setup">${hidden('csrf', csrf)}<button>dアカウントを設定する</button></form>`,
    { step: '11' },
  );
}

/** Steps 15, 28, 32, 34–35: the status, the applications, and the way to the association. */
export function status(line: OneNumberLine): string {
  const subscribed = line.subscribed
    ? `<div class="status-row"><p class="status subscribed" data-status>${line.multiDevice ? 'ワンナンバーサービス+<wbr>マルチデバイスオプション契約中' : 'ワンナンバーサービス契約中'}</p>
<a class="reload" href="/docomo/onenumber" aria-label="契約状況を更新">${reloadIcon}更新</a></div>`
    : '<div class="status-row"><p class="status" data-status>ワンナンバーサービス未契約</p></div>';
  const apply = line.subscribed
    ? line.multiDevice
      ? ''
      : '<p><a class="button secondary" href="/docomo/apply?option=multiDevice">マルチデバイスオプションを申し込む</a></p>'
    : '<p><a class="button" href="/docomo/apply">ワンナンバーサービスを申し込む</a></p>';
  const use = line.subscribed
    ? `<section class="card"><h2>注意事項</h2><p>BMWでワンナンバーサービスをご利用いただくには、BMW IDとdアカウントの連携が必要です。連携すると、ご契約の電話番号がBMWのパーソナルeSIMでも使えるようになります。</p>
<p><a class="button" href="/docomo/association">クルマで利用する</a></p></section>`
    : '';
  return docomoPage(
    'ワンナンバーサービス',
    `<section class="card contract"><h2>ご契約状況</h2><dl class="facts"><dt>電話番号</dt><dd>${escapeHtml(line.msisdn)}</dd></dl>${subscribed}</section>${apply}${use}`,
    { step: line.subscribed ? '34' : '15', en: line.subscribed ? '34' : '16' },
  );
}

export interface ApplyForm {
  oneNumber: boolean;
  multiDevice: boolean;
  consent: boolean;
  details: Partial<Record<keyof CustomerDetails, string>>;
}

/** Steps 16–23 (and 29–30 for the option alone): what to apply for, the terms, the customer's details. */
export function applyPage(csrf: string, line: OneNumberLine, form: ApplyForm, errors: Record<string, string>): string {
  const optionOnly = line.subscribed;
  const d = form.details;
  // (a field's message sits under its label, the field outlined; the count of them leads the form)
  const problem = (name: string) => fieldProblem(name, errors[name]);
  const text = (name: keyof CustomerDetails, label: string, extra = '') =>
    `<label for="${name}">${label}</label>${problem(name).message}<input id="${name}" name="${name}" value="${escapeHtml(d[name] ?? '')}" ${extra}${problem(name).attributes}>`;
  const select = (name: keyof CustomerDetails, label: string, options: Record<string, string>) =>
    `<label for="${name}">${label}</label>${problem(name).message}<select id="${name}" name="${name}"${problem(name).attributes}><option value="">選択してください</option>${Object.entries(
      options,
    )
      .map(([value, text]) => `<option value="${value}"${d[name] === value ? ' selected' : ''}>${text}</option>`)
      .join('')}</select>`;
  const terms = optionOnly ? 'マルチデバイスオプション' : 'ワンナンバーサービス';
  const start = new Date().toLocaleDateString('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tokyo' });
  const count = Object.keys(errors).filter((k) => k !== 'form').length;
  const summary = count > 0 ? `<p class="summary">入力内容に${count}件の誤りがあります。各項目のメッセージをご確認ください。</p>` : '';
  return docomoPage(
    optionOnly ? 'マルチデバイスオプションのお申込み' : 'ワンナンバーサービスのお申込み',
    `${alertLine(errors.form)}${summary}
<form method="post" action="/docomo/apply">${hidden('csrf', csrf)}
<fieldset><legend>手続き内容</legend>
${optionOnly ? hidden('oneNumber', 'off') : `<label class="check"><input type="checkbox" name="oneNumber" value="on"${form.oneNumber ? ' checked' : ''}> ワンナンバーサービスを申し込む</label>`}
<label class="check"><input type="checkbox" name="multiDevice" value="on"${form.multiDevice || optionOnly ? ' checked' : ''}> マルチデバイスオプションを申し込む</label>
${problem('what').message}</fieldset>
<p><button type="submit" class="link" formaction="/docomo/apply/terms" formnovalidate>${terms} 注意事項・利用規約・パーソナルデータの取扱い</button></p>
${problem('consent').message}<label class="check"><input type="checkbox" name="consent" value="on"${form.consent ? ' checked' : ''}> ${terms}の注意事項・利用規約・パーソナルデータの取扱いに同意する</label>
<fieldset><legend>お客様情報</legend>
${text('kanaLast', '氏名［フリガナ］（セイ）', 'autocomplete="family-name"')}${text('kanaFirst', '氏名［フリガナ］（メイ）')}
${text('kanjiLast', '氏名［漢字］（姓）')}${text('kanjiFirst', '氏名［漢字］（名）')}
${text('birthday', '生年月日', 'type="date"')}
${text('postalCode', '郵便番号', 'inputmode="numeric" autocomplete="postal-code"')}${text('address', '住所', 'autocomplete="street-address"')}
</fieldset>
<fieldset><legend>ご利用者の確認事項</legend>${select('age', 'ご利用者の年齢', ages)}<p>適用開始日：${start}</p></fieldset>
${select('delivery', 'お申込書の交付方法', deliveries)}
<button>次へ</button></form>`,
    { step: optionOnly ? '30' : '16', en: optionOnly ? '30' : '16' },
  );
}

/** Step 18: the terms, closed with 「閉じる」. */
export function termsPage(which: 'oneNumber' | 'multiDevice'): string {
  const name = which === 'multiDevice' ? 'マルチデバイスオプション' : 'ワンナンバーサービス';
  return docomoPage(
    `${name} 注意事項・利用規約・パーソナルデータの取扱い`,
    `<section class="card terms">
<p>${name}は、ご契約の携帯電話番号を、対応する機器（BMWのパーソナルeSIMなど）でも利用できるようにするサービスです。</p>
<p>ご利用には、ご契約の携帯電話番号の回線契約が必要です。機器の通信・通話はご契約の回線の料金プランに従います。</p>
<p>お客様のパーソナルデータ（氏名、生年月日、住所）は、本人確認とお申込書の交付のためにのみ利用します。</p>
</section><p><a class="button" href="/docomo/apply${which === 'multiDevice' ? '?option=multiDevice' : ''}">閉じる</a></p>`,
    { step: '18', en: '18' },
  );
}

const reloadIcon =
  '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** Step 24: the payment. */
export function paymentPage(csrf: string, message?: string): string {
  return docomoPage(
    'お支払い方法',
    `${alertLine(message)}<form method="post" action="/docomo/apply/payment">${hidden('csrf', csrf)}
${Object.entries(payments)
  .map(([value, text], i) => `<label class="check"><input type="radio" name="payment" value="${value}"${i === 0 ? ' checked' : ''}> ${text}</label>`)
  .join('\n')}
<button>次へ</button></form>`,
    { step: '24' },
  );
}

/** Steps 25–26: the review, then 「手続きを完了する」. Personal data is shown back to its owner only. */
export function confirmPage(
  csrf: string,
  what: { oneNumber: boolean; multiDevice: boolean },
  details: CustomerDetails,
  payment: keyof typeof payments,
): string {
  const items = [what.oneNumber ? 'ワンナンバーサービス' : '', what.multiDevice ? 'マルチデバイスオプション' : ''].filter(Boolean).join('、');
  return docomoPage(
    '手続き内容の確認',
    `<dl class="card">
<dt>お申込み内容</dt><dd>${items}</dd>
<dt>氏名</dt><dd>${escapeHtml(`${details.kanjiLast} ${details.kanjiFirst}（${details.kanaLast} ${details.kanaFirst}）`)}</dd>
<dt>生年月日</dt><dd>${escapeHtml(details.birthday)}</dd>
<dt>住所</dt><dd>〒${escapeHtml(details.postalCode)} ${escapeHtml(details.address)}</dd>
<dt>ご利用者の年齢</dt><dd>${ages[details.age]}</dd>
<dt>お申込書の交付方法</dt><dd>${deliveries[details.delivery]}</dd>
<dt>お支払い方法</dt><dd>${payments[payment]}</dd></dl>
<form method="post" action="/docomo/apply/complete">${hidden('csrf', csrf)}<button>手続きを完了する</button></form>`,
    { step: '25', en: '25' },
  );
}

export function donePage(): string {
  return docomoPage('お手続き完了', '<p class="done">お手続きが完了いたしました。</p><p><a class="button" href="/docomo/onenumber">戻る</a></p>', {
    step: '27',
  });
}

/** Steps 36–37: the notes, the consent, 「アカウント連携」 (or cancel). */
export function associationPage(csrf: string, message?: string): string {
  return docomoPage(
    docomoText('association'),
    `<section class="card"><h2>パーソナルデータの取扱いに関する同意事項</h2>
<p>BMW IDとdアカウントを連携すると、ドコモはご契約の電話番号とワンナンバーサービスの契約状態をBMWに提供します。BMWはこれを、お客様のクルマのパーソナルeSIMの設定に利用します。</p>
<h2>注意事項</h2><p>連携はMy BMWアプリまたはドコモのサイトからいつでも解除できます。</p></section>${alertLine(message)}
<form method="post" action="/docomo/association">${hidden('csrf', csrf)}
<label class="check"><input type="checkbox" name="consent" value="on"> 同意する</label>
<button name="decision" value="associate">アカウント連携</button>
<button class="secondary" name="decision" value="cancel">キャンセル</button></form>`,
    { step: '36', en: '36' },
  );
}

export function associatedPage(back: string): string {
  return docomoPage(docomoText('association'), `<p class="done">${docomoText('associated')}</p><p><a class="button" href="${escapeHtml(back)}">戻る</a></p>`, {
    step: '38',
  });
}

/**
 * The carrier's page for connected cars (PC path step 1): what the service does, the makers it works
 * with, and 「BMWで利用する」 to the BMW web portal. The project's own words and drawings.
 */
export function connectedCar(): string {
  const feature = (title: string, text: string) => `<li><h3>${title}</h3><p>${text}</p></li>`;
  return docomoPage(
    'クルマ向けワンナンバーサービス',
    `<section class="hero"><p class="eyebrow">ワンナンバーサービス</p>
<h2>いつもの電話番号を、クルマでも。</h2><p>スマートフォンの電話番号のまま、クルマから電話をかけたり受けたりできます。</p></section>
<ul class="features">${feature('同じ番号で発着信', 'クルマからの発信も、スマートフォンの番号で相手に表示されます。')}${feature(
      'クルマ単独で通信',
      'スマートフォンを持たずに乗っても、クルマが通話とデータ通信を行います。',
    )}${feature('料金はご契約の回線に', '通話と通信はご契約の料金プランに従います。')}</ul>
<h2 class="section">対応メーカー</h2>
<section class="card maker"><h3>BMW</h3><p>BMWのパーソナルeSIMでご利用いただけます。BMW WebポータルでパーソナルeSIMを有効にし、dアカウントと連携します。</p><p><a class="button" href="/portal/">BMWで利用する</a></p></section>`,
    { step: '1' },
  );
}

/** Someone on the site without the My BMW app's request, or with one that expired. */
export function startInApp(
  message = 'この手続きはMy BMWアプリから開始してください。My BMWアプリの「パーソナルeSIM」→「パーソナルeSIMの有効化」からもう一度お進みください。',
): string {
  return docomoPage('ワンナンバーサービス', alertLine(message));
}

export const docomoStyle = `${baseStyle}
:root { font-family: system-ui, "Noto Sans CJK JP", sans-serif; color-scheme: light; }
body { margin: 0; background: #f3f3f3; color: #222; }
header { padding: 14px max(20px, calc(50% - 300px)) 10px; background: #fff; border-bottom: 3px solid #cc0033; }
header, main { box-sizing: border-box; }
.brand { color: #cc0033; font-weight: 700; letter-spacing: .02em; }
h1 { font-size: 20px; margin: 6px 0 0; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 16px; margin: 0 0 4px; }
main { padding: 12px 20px 32px; max-width: 640px; margin: 0 auto; background: #fff; min-height: calc(100vh - 70px); }
p { line-height: 1.6; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 14px; margin: 14px 0; background: #fafafa; }
.error { color: #b00020; font-weight: 600; }
.summary { padding: 10px 12px; border-radius: 6px; background: #fdecee; color: #8a0018; font-weight: 600; }
.field-error { margin: 0 0 4px; color: #b00020; font-size: 14px; line-height: 1.4; }
.field-error::before { content: "! "; font-weight: 700; }
[aria-invalid="true"] { border-color: #b00020; background: #fffafa; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.facts dt { margin: 0; } .facts dd { margin: 0; font-weight: 600; }
.status-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; margin-top: 12px; }
.status { margin: 0; padding: 4px 10px; border-radius: 4px; background: #e8e8e8; color: #444; font-weight: 700; }
.status.subscribed { background: #e6f2ea; color: #1b5e20; }
.reload { display: inline-flex; align-items: center; gap: 4px; flex: none; padding: 6px 12px; border: 1px solid #999; border-radius: 16px; color: #333; text-decoration: none; font-size: 14px; background: #fff; }
.done { font-size: 18px; font-weight: 700; }
label { display: block; margin: 12px 0 4px; }
label.check { display: flex; gap: 8px; align-items: flex-start; }
input, select { width: 100%; box-sizing: border-box; padding: 10px; font-size: 16px; border: 1px solid #999; border-radius: 6px; background: #fff; color: inherit; }
label.check input { width: auto; margin-top: 4px; }
fieldset { border: 0; padding: 0; margin: 16px 0; }
legend { font-weight: 700; padding: 0; margin-bottom: 4px; }
button, .button { display: block; width: 100%; box-sizing: border-box; text-align: center; padding: 13px; margin-top: 16px; font-size: 16px; font-weight: 600; border-radius: 6px; border: 0; background: #cc0033; color: #fff; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: #cc0033; border: 1px solid #cc0033; }
button.link { display: inline; width: auto; padding: 0; margin: 0; background: none; color: #0060bf; font-weight: 400; text-decoration: underline; text-align: left; font-size: inherit; border-radius: 0; cursor: pointer; }
dt { color: #666; font-size: 14px; margin-top: 8px; } dd { margin: 0; }
.sms { position: sticky; top: 0; z-index: 1; background: #222; color: #fff; padding: 10px 16px; white-space: pre-line; font-size: 14px; }
.hero { margin: 0 -20px; padding: 28px 20px; background: linear-gradient(135deg, #cc0033, #8c0024); color: #fff; }
.hero h2 { font-size: 24px; margin: 4px 0 8px; }
.eyebrow { margin: 0; font-size: 14px; opacity: .9; }
.features { list-style: none; padding: 0; margin: 20px 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); }
.features li { border-top: 3px solid #cc0033; padding-top: 8px; }
.features p { margin: 0; font-size: 14px; color: #444; }
.section { margin-top: 24px; }
`;
