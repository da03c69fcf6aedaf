import { useEffect, useState } from 'react';
import type { MachineChart } from '../../shared/contract';
import type { PanelProps } from './panels';

/**
 * The live machines: each running machine's states as an indented chart, the ones it is in now
 * highlighted, read again whenever the timeline says a machine moved.
 */
export function MachinesPanel({ t, api }: Pick<PanelProps, 't' | 'api'>) {
  const [machines, setMachines] = useState<MachineChart[]>([]);
  useEffect(() => {
    let stopped = false;
    void (async () => {
      let after = 0;
      while (!stopped) {
        try {
          setMachines((await api['machines.read']({})).machines);
          // (waits for the next move of any machine: a long poll, not a timer)
          after = (await api['timeline.read']({ after, timeoutMs: 30_000, kinds: ['state'] })).last;
        } catch {
          // (a refused read is not asked again at once: a second later, from the start of the timeline)
          after = 0;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api]);
  return (
    <section aria-label={t('machines')}>
      <h2>{t('machines')}</h2>
      <div className="machines">
        {machines.map((machine) => (
          <ul key={machine.name} aria-label={machine.name} className="machine">
            <li className="machine-name">{machine.name}</li>
            {machine.states.map((path) => {
              const active = machine.active.includes(path);
              const depth = path.split('.').length - 1;
              return (
                <li key={path} aria-current={active || undefined} className={active ? 'state active' : 'state'} style={{ paddingLeft: `${depth * 1.2}em` }}>
                  {path.split('.').pop()}
                </li>
              );
            })}
          </ul>
        ))}
      </div>
    </section>
  );
}
