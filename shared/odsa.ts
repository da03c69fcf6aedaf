import * as z from 'zod';

/**
 * GSMA TS.43 (Service Entitlement Configuration) ODSA for a companion device, as NTT DOCOMO's One
 * Number entitlement speaks it to the car: the companion app `ap2006`, the car a companion with a
 * `SharedNumber` service, the operations CheckEligibility, ManageSubscription and
 * AcquireConfiguration, and the codes below (TS.43 §6). The answer is TS.43's JSON form: the
 * `Vers` block and one block per app, named by its id, with the parameters as strings.
 */
export const odsaApp = 'ap2006';
export const companionService = 'SharedNumber';
export const odsaOperations = ['CheckEligibility', 'ManageSubscription', 'AcquireConfiguration'] as const;
export type OdsaOperation = (typeof odsaOperations)[number];

export const OperationResult = { success: '1', errorGeneral: '100', invalidOperation: '101', invalidParameter: '102' } as const;
export const Eligibility = { disabled: '0', enabled: '1', incompatible: '2' } as const;
export const ServiceStatus = { activated: '1', activating: '2', deactivated: '3', deactivatedNoReuse: '4' } as const;
export const SubscriptionResult = { continueToWebsheet: '1', downloadProfile: '2', done: '3', delayedDownload: '4', dismiss: '5' } as const;

/** Why the carrier gives a BMW ID no Personal eSIM: carried in `SubscriptionServiceUserData` as `reason=…` (and `NotEnabledUserData`). */
export const notEligibleReasons = ['noLine', 'notSubscribed', 'notAssociated', 'noSlot'] as const;
export type NotEligibleReason = (typeof notEligibleReasons)[number];

const Text = z.string().max(512);
export const DownloadInfo = z.object({ ProfileActivationCode: Text.optional(), ProfileIccid: Text, ProfileSmdpAddress: Text.optional() });
export const CompanionConfiguration = z.object({ ICCID: Text.optional(), msisdn: Text.optional(), ServiceStatus: z.enum(['1', '2', '3', '4']) });

/** The `ap2006` block of an answer; the parameters an operation does not use are absent. */
export const OdsaAppBlock = z.object({
  AppID: z.literal(odsaApp).optional(),
  OperationResult: Text,
  CompanionAppEligibility: z.enum(['0', '1', '2']).optional(),
  CompanionDeviceServices: Text.optional(),
  NotEnabledURL: Text.optional(),
  NotEnabledUserData: Text.optional(),
  SubscriptionResult: z.enum(['1', '2', '3', '4', '5', '6', '7', '8']).optional(),
  SubscriptionServiceURL: Text.optional(),
  SubscriptionServiceUserData: Text.optional(),
  SubscriptionServiceContentsType: Text.optional(),
  DownloadInfo: DownloadInfo.optional(),
  CompanionConfigurations: z.object({ CompanionConfiguration }).optional(),
  GeneralErrorText: Text.optional(),
});
export type OdsaAppBlock = z.infer<typeof OdsaAppBlock>;

export const OdsaAnswer = z.object({ Vers: z.object({ version: Text, validity: Text }), [odsaApp]: OdsaAppBlock });

/** The `reason=…` of a user-data string. */
export function reasonOf(userData: string | undefined): NotEligibleReason | null {
  const reason = new URLSearchParams(userData ?? '').get('reason');
  return (notEligibleReasons as readonly string[]).includes(reason ?? '') ? (reason as NotEligibleReason) : null;
}
