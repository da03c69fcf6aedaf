/**
 * Logs in on the phone page as its form does: opens the page (which sets the form's token in a
 * cookie and the form), then posts the form with both. Returns the answer (303 with the session cookie).
 */
export async function phoneLogin(pageUrl: string, email: string, password: string, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const url = new URL(pageUrl);
  const page = await fetch(url);
  const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return fetch(new URL('/device/login', url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...extraHeaders },
    body: new URLSearchParams({ user_code: url.searchParams.get('user_code') ?? '', csrf, email, password }),
  });
}

/** The phone's side of the QR login over plain HTTP: log in on the phone page and answer the car. */
export async function answerOverHttp(verificationUri: string, email: string, password: string, decision: 'approve' | 'deny'): Promise<void> {
  const url = new URL(verificationUri);
  const userCode = url.searchParams.get('user_code')!;
  const form = (body: Record<string, string>, cookie = '') => ({
    method: 'POST',
    redirect: 'manual' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(body),
  });
  const login = await phoneLogin(verificationUri, email, password);
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const page = await (await fetch(url, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error('the phone page did not ask for a decision');
  const answered = await fetch(new URL('/device/decision', url), form({ user_code: userCode, csrf, decision }, cookie));
  if (answered.status !== 200) throw new Error(`the phone page refused the decision (${answered.status})`);
}
