import type { MessageKey } from '../../shared/i18n';
import { infoRow, type Row, type ScreenInput } from './model';

/** The Personal eSIM's state in a word, as Mobile devices shows it under "Personal eSIM" (guide step 11/14). */
export function esimState({ esim, t }: ScreenInput): string {
  switch (esim?.state) {
    case undefined:
    case 'none':
      return t('esim.notAvailable');
    case 'notAvailable':
      return t('esim.notAvailable');
    case 'failed':
      return t('esim.error');
    case 'ready':
      if (esim.context.moduleGone) return t('esim.moduleGone');
      return esim.context.registration?.state === 'registered' ? t('esim.connected') : t(noNetworkKey(esim.context.registration?.state));
    default:
      return t('esim.settingUp');
  }
}

/**
 * The code a support call needs for the set-up's failure: SGP.22's subject/reason codes of an
 * SM-DP+'s refusal, the eUICC's errorReason, the module's error; null where there is none.
 */
export function supportCode({ esim }: Pick<ScreenInput, 'esim'>): string | null {
  const failure = esim?.context.failure;
  switch (failure?.kind) {
    case 'refused':
      return `SGP.22 ${failure.subjectCode}/${failure.reasonCode}`;
    case 'errorReason':
      return `SGP.22 errorReason ${failure.reason}`;
    case 'modem':
      return `modem ${failure.code}`;
    default:
      return null;
  }
}

/** Why the set-up stopped, in words the driver can act on (SGP.22's codes kept for the support call). */
export function failureReason({ esim, t }: ScreenInput): string {
  const failure = esim?.context.failure;
  switch (failure?.kind) {
    case 'network':
    case 'entitlement':
      return t('esim.failure.network');
    case 'refused': {
      const code = `${failure.subjectCode}/${failure.reasonCode}`;
      if (code === '8.8.5/4.1') return t('esim.failure.expired');
      if (code === '8.1.1/3.8') return t('esim.failure.otherCar');
      return t('esim.failure.refused', { code });
    }
    case 'errorReason':
      if (failure.reason === 10) return t('esim.failure.memory');
      if (failure.reason === 11) return t('esim.failure.interrupted');
      return t('esim.failure.security', { code: failure.reason });
    case 'modem':
      return t('esim.failure.modem', { code: failure.code });
    case 'enable':
      return t('esim.failure.enable');
    case 'confirmationCodeRequired':
      return t('esim.failure.confirmationCode');
    case 'badActivationCode':
      return t('esim.failure.activationCode');
    default:
      return t('esim.failure.other');
  }
}

/** Why the Personal eSIM has no network: none there, abroad (One Number works in Japan only), or refused by the network. */
function noNetworkKey(state: string | undefined): MessageKey {
  return state === 'roaming' ? 'esim.abroad' : state === 'denied' ? 'esim.denied' : 'esim.noNetwork';
}

/** The Personal eSIM page (guide step 15): number, network, and the three switches that drive the modem. */
export function esimRows(input: ScreenInput): Row[] {
  const { esim, t } = input;
  const retry = { id: 'retry', kind: 'action' as const, label: t('esim.retry'), press: { type: 'esim.retry' } as const };
  if (!esim) return [infoRow('message', t('esim.noProfile'))];
  switch (esim.state) {
    case 'none':
      return [infoRow('message', t('esim.noProfile'))];
    case 'notAvailable':
      return [infoRow('message', t(`esim.reason.${esim.context.unavailable ?? 'noLine'}` as MessageKey)), retry];
    case 'failed': {
      // One reason, the one that stopped it, then the code for a support call and the way forward.
      const code = supportCode(input);
      return [infoRow('message', failureReason(input)), ...(code ? [infoRow('code', t('esim.supportCode', { code }))] : []), retry];
    }
    case 'ready': {
      const { registration, switches, msisdn } = esim.context;
      const check = (id: 'voice' | 'data' | 'roaming'): Row => ({
        id,
        kind: 'check',
        label: t(`esim.${id}`),
        checked: switches[id],
        press: { type: 'esim.switch', patch: { [id]: !switches[id] } },
      });
      return [
        infoRow('number', t('esim.number', { msisdn: msisdn ?? '' })),
        infoRow(
          'network',
          esim.context.moduleGone
            ? t('esim.moduleGoneDetail')
            : registration?.state === 'registered' && registration.operator
              ? t('esim.operator', { operator: registration.operator.name, technology: registration.technology ?? '', signal: registration.signal })
              : registration?.state === 'roaming' && registration.operator
                ? t('esim.abroadOn', { operator: registration.operator.name })
                : t(noNetworkKey(registration?.state)),
        ),
        check('voice'),
        check('data'),
        check('roaming'),
        infoRow('roamingNote', t('esim.roamingNote')),
      ];
    }
    default: {
      const stage = esim.state === 'enabling' ? 'enabling' : (esim.context.stage ?? 'authenticating');
      return [
        infoRow('message', t('esim.settingUp')),
        infoRow('stage', t(`esim.stage.${stage}` as MessageKey, { percent: Math.round(esim.context.progress * 100) })),
      ];
    }
  }
}
