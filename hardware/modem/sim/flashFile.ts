import * as z from 'zod';
import { errorReasons, IccidText, ProfileMetadataFields } from '../../../shared/esim';
import type { EuiccFlash } from './simEuicc';

const Seq = z.number().int().min(0).optional();
const LoadResult = z.union([
  z.strictObject({ transactionId: z.string().max(64), iccid: IccidText, seqNumber: Seq }),
  z.strictObject({
    transactionId: z.string().max(64),
    errorReason: z.literal(Object.values(errorReasons)),
    bppCommandId: z.number().int().min(0).max(127).optional(),
    seqNumber: Seq,
  }),
]);

/**
 * The simulated eUICC's flash as the bench keeps it beside the car's memory (`sim-modem.json`):
 * its profiles and the notifications it has not delivered yet, checked field by field on load, so
 * a damaged or hand-edited file is moved aside and told, never taken with wrong types into the card.
 */
export const EuiccFlashFile: z.ZodType<EuiccFlash> = z.strictObject({
  profiles: z
    .array(
      z.strictObject({
        metadata: ProfileMetadataFields,
        state: z.enum(['enabled', 'disabled']),
        nickname: z.string().max(64).nullable(),
        address: z.string().max(255),
      }),
    )
    .max(32),
  notifications: z
    .array(
      z.strictObject({
        seqNumber: z.number().int().min(0),
        event: z.enum(['install', 'enable', 'disable', 'delete']),
        // (a load refused before its metadata names no profile)
        iccid: z.union([IccidText, z.literal('')]),
        notificationAddress: z.string().max(255),
        result: LoadResult.optional(),
      }),
    )
    .max(1000),
  nextSeq: z.number().int().min(0),
  defaultDpAddress: z.string().max(255).optional(),
});
