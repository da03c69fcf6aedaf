/**
 * A phone's browser over plain HTTP, for walking the cloud's sites fast: a cookie jar, redirects
 * followed (303 becomes GET), and the last page's CSRF token sent with each form.
 */
export class SiteClient {
  private readonly cookies = new Map<string, string>();
  /** every address a redirect sent the browser to, in order */
  readonly redirects: string[] = [];
  /** the last page's HTML */
  page = '';
  status = 0;
  url = '';

  constructor(
    private readonly base: string,
    private readonly language = 'ja-JP',
  ) {}

  async get(path: string): Promise<string> {
    return this.request(new URL(path, this.base), { method: 'GET' });
  }

  /** Posts a form of the current page, with its CSRF token. */
  async post(path: string, form: Record<string, string>): Promise<string> {
    const csrf = /name="csrf" value="([^"]*)"/.exec(this.page)?.[1] ?? '';
    return this.request(new URL(path, this.base), {
      method: 'POST',
      body: new URLSearchParams({ csrf, ...form }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** A cookie the browser holds now (undefined: none). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The guide step the current page names. */
  step(): string | null {
    return /data-guide-step="([^"]+)"/.exec(this.page)?.[1] ?? null;
  }

  /** The href of the link whose text is `text`. */
  link(text: string): string {
    const match = new RegExp(`<a [^>]*href="([^"]+)"[^>]*>${text}<`).exec(this.page);
    if (!match) throw new Error(`no link "${text}" on ${this.url}: ${this.page}`);
    return match[1]!.replace(/&amp;/g, '&');
  }

  private async request(url: URL, init: RequestInit): Promise<string> {
    for (let hops = 0; hops < 10; hops++) {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          'accept-language': this.language,
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim())) || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location')!, url);
        this.redirects.push(url.href);
        init = { method: 'GET' };
        continue;
      }
      this.status = response.status;
      this.url = url.href;
      // (a <wbr> is where a Japanese line may break, between phrases: not part of the text)
      this.page = (await response.text()).replaceAll('<wbr>', '');
      return this.page;
    }
    throw new Error('too many redirects');
  }
}

/**
 * STEP 1 steps 1–13 in the My BMW app over HTTP, for the demo BMW ID with nothing done: log in,
 * the PIN twice, the terms, then "CHECK WITH PROVIDER" with the number's last 4 digits. Ends on
 * the carrier's login page.
 */
export async function appToCarrier(phone: SiteClient, email = 'ichiro@example.com', password = 'onenumber-start', last4 = '1357'): Promise<void> {
  await phone.get('/app/login');
  await phone.post('/app/login', { email, password });
  await phone.post('/app/pin', { pin: '2580' });
  await phone.post('/app/pin/confirm', { pin: '2580' });
  await phone.post('/app/terms', { agree: 'on' });
  await phone.get('/app/esim/activate');
  await phone.post('/app/esim/activate', { country: 'JP', provider: 'docomo', last4 });
}
