import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';

/** Reads the QR code off a picture of the display, as a phone camera would: from pixels only. */
export function readQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return code?.data ?? null;
}

/** A phone: its own browser context at a phone's size, opening the page the QR code leads to. */
export async function openOnPhone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Logs in with a BMW ID on the phone page and answers the car's request. */
export async function answerOnPhone(phone: Page, email: string, password: string, decision: 'Approve' | 'Deny'): Promise<string> {
  await phone.getByLabel('E-mail').fill(email);
  await phone.getByLabel('Password').fill(password);
  await phone.getByRole('button', { name: 'Log in' }).click();
  await phone.getByRole('button', { name: decision }).waitFor();
  const request = await phone.locator('.card').first().innerText();
  await phone.getByRole('button', { name: decision }).click();
  await phone.locator('.card').first().waitFor();
  return request;
}
