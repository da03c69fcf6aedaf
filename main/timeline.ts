import type { ControllerInput } from '../shared/controller';
import type { TimelineEvent, TimelineKind } from '../shared/contract';

/** How many events the car keeps for the bench (the oldest go first); the log file keeps them all. */
export const timelineCapacity = 5000;

type Listener = (event: TimelineEvent) => void;

/**
 * What happened to the car, in order, for the bench console and the automation API: every input,
 * every world change and injected fault, every machine's move, every pop-up and every failure with
 * its reason. Bounded (the newest `timelineCapacity`); numbered, so a reader asks for what came
 * after the last one it has. Nothing secret goes in: typed text is counted, not kept.
 */
export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  add(kind: TimelineKind, text: string, detail?: TimelineEvent['detail']): TimelineEvent {
    const event: TimelineEvent = { seq: ++this.seq, at: this.now().toISOString(), kind, text, ...(detail ? { detail } : {}) };
    this.events.push(event);
    if (this.events.length > timelineCapacity) this.events.splice(0, this.events.length - timelineCapacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** The events after `after` (a seq) of the kinds asked (default all), oldest first, at most `limit`. */
  since(after: number, kinds?: readonly TimelineKind[], limit = 500): TimelineEvent[] {
    const first = this.events.findIndex((e) => e.seq > after);
    if (first < 0) return [];
    const newer = this.events.slice(first);
    return (kinds ? newer.filter((e) => kinds.includes(e.kind)) : newer).slice(0, limit);
  }

  /** The newest event's seq (0: none yet). */
  last(): number {
    return this.seq;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** An input as the timeline says it: typed text by its length only (it may be a password). */
export function describeInput(input: ControllerInput): string {
  switch (input.kind) {
    case 'type': return `type ${[...input.text].length} character(s)`;
    case 'touch': return `touch ${input.itemId}`;
    case 'button': return `button ${input.button}`;
    case 'rotate': return `rotate ${input.detents > 0 ? '+' : ''}${input.detents}`;
    case 'tilt': return `tilt ${input.direction}`;
    default: return input.kind;
  }
}
