import type { MachineChart } from '../shared/contract';

/** What a running XState actor shows of itself: its logic's state tree and its snapshot. */
interface Inspectable {
  logic?: { root?: StateNodeLike };
  getSnapshot(): { value?: unknown; children?: Record<string, unknown> };
}
interface StateNodeLike {
  key: string;
  states?: Record<string, StateNodeLike>;
}

/**
 * The live machines as the bench console charts them: the head unit's and those of its running
 * children (login, unlock, eSIM, Bluetooth, telephone), each with every state as a dotted path, in
 * the order the machine declares them, and the states it is in now. Read from XState's own state
 * nodes and snapshots; contexts (which hold secrets) are never read.
 */
export function machineCharts(headUnit: unknown): MachineChart[] {
  const root = headUnit as Inspectable;
  const charts = [chartOf('head unit', root)];
  for (const [id, child] of Object.entries(root.getSnapshot().children ?? {})) {
    const actor = child as Inspectable;
    if (actor.logic?.root) charts.push(chartOf(id, actor));
  }
  return charts.filter((chart): chart is MachineChart => chart !== null);
}

function chartOf(name: string, actor: Inspectable): MachineChart | null {
  const root = actor.logic?.root;
  if (!root) return null;
  const states: string[] = [];
  const walk = (node: StateNodeLike, path: string) => {
    for (const [key, child] of Object.entries(node.states ?? {})) {
      const here = path ? `${path}.${key}` : key;
      states.push(here);
      walk(child, here);
    }
  };
  walk(root, '');
  // (an actor with no states, a callback or a promise, is no chart)
  return states.length === 0 ? null : { name, states, active: activePaths(actor.getSnapshot().value) };
}

/** `{ running: { ui: 'shell', esim: 'active' } }` → running, running.ui, running.ui.shell, running.esim, … */
function activePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return [path ? `${path}.${value}` : value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = path ? `${path}.${key}` : key;
    return [here, ...activePaths(inner, here)];
  });
}
