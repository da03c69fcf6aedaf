import type { Aside, StatusBar } from '../../shared/view';
import { esimState } from './esim';
import type { ScreenInput } from './model';

/** The context pane: what a driver (or whoever gives the demo) wants to know at a glance. */
export function asideModel(input: ScreenInput, status: StatusBar): Aside {
  const { t, context } = input;
  const network = status.network;
  const esim = esimState(input);
  return {
    title: context.settings.vehicleName,
    rows: [
      { id: 'bmwId', label: t('bmwId.title'), value: status.profile },
      // (under its label "Personal eSIM", the set-up needs no name: "Setting up…", so the pane keeps to one line a row)
      { id: 'esim', label: t('esim.title'), value: esim === t('esim.settingUp') ? t('aside.settingUp') : esim },
      { id: 'phone', label: t('aside.phone'), value: status.phone ?? t('aside.noPhone') },
      { id: 'network', label: t('aside.network'), value: network ? [network.operator, network.technology].filter(Boolean).join(' ') : t('status.noNetwork') },
    ],
  };
}
