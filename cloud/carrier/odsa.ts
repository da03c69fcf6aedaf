import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import {
  companionService,
  Eligibility,
  odsaApp,
  odsaOperations,
  OperationResult,
  ServiceStatus,
  SubscriptionResult,
  type OdsaAppBlock,
} from '../../shared/odsa';
import { bearerAccount } from '../oauth/bearer';
import type { Tokens } from '../oauth/tokens';
import type { Orders } from '../smdp/orders';
import type { Carrier } from './carrier';
import { parseActivationCode } from '../../shared/esim';

export interface OdsaDeps {
  tokens: Tokens;
  carrier: Carrier;
  orders: Orders;
  smdpAddress: () => string;
  /** where a browser reaches the cloud (the My BMW app's activation is the websheet) */
  phoneUrl: () => string;
}

const OdsaQuery = z.object({
  vers: z.string().max(16).optional(),
  entitlement_version: z.string().max(16).optional(),
  app: z.literal(odsaApp),
  operation: z.enum(odsaOperations),
  operation_type: z.string().max(4).optional(),
  companion_terminal_id: z.string().max(64).optional(),
  companion_terminal_eid: z
    .string()
    .regex(/^\d{32}$/)
    .optional(),
  companion_terminal_service: z.string().max(32).optional(),
});

/** Valid for a day; the car asks again when the driver looks, or every minute while there is none. */
const validitySeconds = '86400';

/**
 * NTT DOCOMO's entitlement server for One Number (GSMA TS.43 ODSA, companion app `ap2006`), as the
 * car asks it: `GET /entitlement?app=ap2006&operation=…&companion_terminal_eid=…` with the BMW ID
 * token as the Bearer (where TS.43 would authenticate the device by EAP-AKA or a token of the
 * carrier's: the car has no SIM of the line yet, and the BMW ID ↔ d ACCOUNT association is what
 * entitles it). CheckEligibility says whether the BMW ID's owner has a DOCOMO line;
 * ManageSubscription (operation_type 0, subscribe) hands the car the eSIM (DownloadInfo with the
 * activation code), says it is done, or sends the owner to the websheet (the My BMW app's
 * activation, STEP 1) with the reason in the user data; AcquireConfiguration gives the companion's
 * configuration with its ServiceStatus. A malformed request is answered with OperationResult 102.
 */
export function odsaRoutes(app: FastifyInstance, deps: OdsaDeps): void {
  const answer = (block: Omit<OdsaAppBlock, 'AppID'>) => ({ Vers: { version: '1', validity: validitySeconds }, [odsaApp]: { AppID: odsaApp, ...block } });
  const websheet = () => `${deps.phoneUrl()}app/esim`;

  app.get('/entitlement', (request, reply) => {
    const accountId = bearerAccount(request, deps.tokens);
    void reply.header('Cache-Control', 'no-store');
    const query = OdsaQuery.safeParse(request.query);
    if (!query.success)
      return answer({
        OperationResult: OperationResult.invalidParameter,
        GeneralErrorText: 'app=ap2006, a known operation and a 32-digit companion_terminal_eid are required',
      });
    const { operation, companion_terminal_eid: eid } = query.data;
    const line = deps.carrier.line(accountId);
    if (operation === 'CheckEligibility') {
      return answer(
        line
          ? { OperationResult: OperationResult.success, CompanionAppEligibility: Eligibility.enabled, CompanionDeviceServices: companionService }
          : {
              OperationResult: OperationResult.success,
              CompanionAppEligibility: Eligibility.disabled,
              NotEnabledURL: websheet(),
              NotEnabledUserData: 'reason=noLine',
            },
      );
    }
    if (!eid) return answer({ OperationResult: OperationResult.invalidParameter, GeneralErrorText: 'companion_terminal_eid is required' });
    if (query.data.companion_terminal_service !== undefined && query.data.companion_terminal_service !== companionService) {
      return answer({ OperationResult: OperationResult.invalidParameter, GeneralErrorText: `companion_terminal_service must be ${companionService}` });
    }
    const reason = deps.carrier.eligibility(accountId, eid);
    if (operation === 'AcquireConfiguration') {
      if (reason || !line)
        return answer({
          OperationResult: OperationResult.success,
          CompanionConfigurations: { CompanionConfiguration: { ServiceStatus: ServiceStatus.deactivated } },
        });
      const order = line.profile ? undefined : deps.orders.find(accountId, eid);
      const iccid = line.profile?.iccid ?? order?.metadata.iccid;
      return answer({
        OperationResult: OperationResult.success,
        CompanionConfigurations: {
          CompanionConfiguration: {
            msisdn: line.msisdn,
            ...(iccid ? { ICCID: iccid } : {}),
            ServiceStatus: order?.state === 'installed' ? ServiceStatus.activated : ServiceStatus.activating,
          },
        },
      });
    }
    // ManageSubscription: subscribe this companion.
    if (reason === 'noSlot')
      return answer({
        OperationResult: OperationResult.success,
        SubscriptionResult: SubscriptionResult.dismiss,
        SubscriptionServiceUserData: 'reason=noSlot',
        GeneralErrorText: 'every companion slot of this line is in use',
      });
    if (reason)
      return answer({
        OperationResult: OperationResult.success,
        SubscriptionResult: SubscriptionResult.continueToWebsheet,
        SubscriptionServiceURL: websheet(),
        SubscriptionServiceUserData: `reason=${reason}`,
        SubscriptionServiceContentsType: 'json',
      });
    if (line!.profile) {
      // Another SM-DP+'s profile: the car is given its code; whether it is installed, the eUICC says.
      const { activationCode, iccid } = line!.profile;
      return answer({
        OperationResult: OperationResult.success,
        SubscriptionResult: SubscriptionResult.downloadProfile,
        DownloadInfo: {
          ProfileIccid: iccid,
          ProfileActivationCode: activationCode,
          ProfileSmdpAddress: parseActivationCode(activationCode)?.smdpAddress ?? '',
        },
        CompanionConfigurations: { CompanionConfiguration: { ICCID: iccid, msisdn: line!.msisdn, ServiceStatus: ServiceStatus.activating } },
      });
    }
    const order = deps.orders.release(accountId, eid, line!.msisdn);
    const installed = order.state === 'installed';
    return answer({
      OperationResult: OperationResult.success,
      SubscriptionResult: installed ? SubscriptionResult.done : SubscriptionResult.downloadProfile,
      DownloadInfo: {
        ProfileIccid: order.metadata.iccid,
        ...(installed ? {} : { ProfileActivationCode: `LPA:1$${deps.smdpAddress()}$${order.matchingId}`, ProfileSmdpAddress: deps.smdpAddress() }),
      },
      CompanionConfigurations: {
        CompanionConfiguration: {
          ICCID: order.metadata.iccid,
          msisdn: line!.msisdn,
          ServiceStatus: installed ? ServiceStatus.activated : ServiceStatus.activating,
        },
      },
    });
  });
}
