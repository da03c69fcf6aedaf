import { isKatakana } from 'wanakana';
import * as z from 'zod';

/** Full-width and half-width forms as one (ｶﾀｶﾅ → カタカナ, ０１２ → 012), spaces trimmed. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

const kana = (message: string) =>
  z
    .string()
    .transform(normalise)
    .pipe(
      z
        .string()
        .min(1, message)
        .max(30, message)
        .refine((v) => isKatakana(v.replace(/[ ・]/g, '')), message),
    );
const kanji = (message: string) => z.string().transform(normalise).pipe(z.string().min(1, message).max(30, message));

/** The ages the carrier asks about (ご利用者の年齢). */
export const ages = { adult: '20歳以上', young: '18歳・19歳', minor: '18歳未満' } as const;
/** How the application document is delivered (お申込書の交付方法). */
export const deliveries = { email: 'メールで受け取る', web: 'Webで確認する', post: '郵送で受け取る' } as const;
/** Payment methods (お支払い方法). */
export const payments = { withPhone: 'ご利用中の携帯電話料金と合算', card: 'クレジットカード' } as const;

/**
 * The customer details of STEP 1 steps 20–23, validated as a Japanese user expects: フリガナ in
 * katakana only (half-width accepted), the name in kanji, a real date of birth, a 7-digit postal
 * code (with or without the hyphen, any width), the address, the user's age and the delivery. The
 * messages are the site's (Japanese), one per field.
 */
export const CustomerDetails = z.object({
  kanaLast: kana('フリガナ（セイ）は全角カタカナで入力してください。'),
  kanaFirst: kana('フリガナ（メイ）は全角カタカナで入力してください。'),
  kanjiLast: kanji('氏名（姓）を入力してください。'),
  kanjiFirst: kanji('氏名（名）を入力してください。'),
  birthday: z
    .string()
    .transform(normalise)
    .pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, '生年月日を正しく入力してください。')
        .refine(realDate, '生年月日を正しく入力してください。'),
    ),
  postalCode: z
    .string()
    .transform(normalise)
    .pipe(z.string().regex(/^\d{3}-?\d{4}$/, '郵便番号は7桁の数字で入力してください。'))
    .transform((v) => `${v.replace('-', '').slice(0, 3)}-${v.replace('-', '').slice(3)}`),
  address: z.string().transform(normalise).pipe(z.string().min(4, '住所を入力してください。').max(120, '住所が長すぎます。')),
  age: z.enum(Object.keys(ages) as [keyof typeof ages], { message: 'ご利用者の年齢を選択してください。' }),
  delivery: z.enum(Object.keys(deliveries) as [keyof typeof deliveries], { message: 'お申込書の交付方法を選択してください。' }),
});
export type CustomerDetails = z.infer<typeof CustomerDetails>;

function realDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && date.getTime() <= Date.now();
}

/** The first message of each field that failed, by field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issue.message;
  }
  return errors;
}
