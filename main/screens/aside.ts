import type { Aside, StatusBar } from '../../shared/view';
import { esimState } from './esim';
import type { ScreenInput } from './model';

/** The context pane: what a driver (or whoever gives the demo) wants to know at a glance. */
export function asideModel(input: ScreenInput, status: StatusBar): Aside {
  const { t, context } = input;
  const network = status.network;
  return {
    title: context.settings.vehicleName,
    rows: [
      { id: 'bmwId', label: t('bmwId.title'), value: status.profile },
      { id: 'esim', label: t('esim.title'), value: esimState(input) },
      { id: 'phone', label: t('aside.phone'), value: status.phone ?? t('aside.noPhone') },
      { id: 'network', label: t('aside.network'), value: network ? [network.operator, network.technology].filter(Boolean).join(' ') : t('status.noNetwork') },
    ],
  };
}
