import * as z from 'zod';

/** The ES9+ functions an LPA calls on the SM-DP+ (SGP.22 §5.6). */
export const es9Functions = ['initiateAuthentication', 'authenticateClient', 'getBoundProfilePackage', 'handleNotification', 'cancelSession'] as const;
export type Es9Function = (typeof es9Functions)[number];

const StatusCode = z.string().regex(/^\d{1,2}(\.\d{1,2}){1,3}$/);

/**
 * How the bench makes the SM-DP+ misbehave: answer slowly (every ES9+ call held `delaySeconds`),
 * or answer one function with an ES9+ error (its `functionExecutionStatus` Failed with the subject
 * and reason codes given, SGP.22 §5.6), the next call only unless `every`; `none`: as it should.
 */
export const Es9Fault = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({ mode: z.literal('slow'), delaySeconds: z.number().min(0.1).max(120) }),
  z.strictObject({
    mode: z.literal('error'),
    function: z.enum(es9Functions),
    subjectCode: StatusCode,
    reasonCode: StatusCode,
    every: z.boolean().default(false),
  }),
]);
export type Es9Fault = z.infer<typeof Es9Fault>;
