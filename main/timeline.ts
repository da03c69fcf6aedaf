import type { ControllerInput } from '../shared/controller';
import type { TimelineCall, TimelineEvent, TimelineKind } from '../shared/contract';
import type { GuideStep } from '../shared/guide';

/** How many events the car keeps for the bench at least (the oldest go first, a tenth of this at a time). */
export const timelineCapacity = 5000;

type Listener = (event: TimelineEvent) => void;

/** Where the car is when something happens: the guide's part, the screen and the pop-up shown. */
export interface Place {
  step: GuideStep | null;
  screen: string;
  popup: string | null;
}

/**
 * What happened to the car, in order, for the bench console and the automation API: every input,
 * every world change and injected fault, every machine's move, every pop-up and every failure with
 * its reason. Bounded (the newest `timelineCapacity`); numbered, so a reader asks for what came
 * after the last one it has. Nothing secret goes in: text typed into the e-mail, password and PIN
 * fields is counted, not kept (see inputCall).
 */
export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  private where: () => Place = () => ({ step: null, screen: '', popup: null });
  /** how many calls (a preset) are driving the car now: what they do is theirs to make again */
  private driving = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Where the car is, asked for each event (the core that runs the car says). */
  locate(where: () => Place): void {
    this.where = where;
  }

  /**
   * One event, at the guide step given or else where the car is now; `call` (an input, a change
   * the bench made) is kept with the screen it was made on, so that a replay can make it again.
   */
  add(
    kind: TimelineKind,
    text: string,
    detail?: TimelineEvent['detail'],
    { step, call }: { step?: GuideStep | null; call?: Omit<TimelineCall, 'screen' | 'popup'> } = {},
  ): TimelineEvent {
    const place = this.where();
    const at = step === undefined ? place.step : step;
    // (built field by field, not spread: it runs for every detent of the controller)
    const event: TimelineEvent = { seq: ++this.seq, at: this.now().toISOString(), kind, text };
    if (at) event.step = at;
    if (detail) event.detail = detail;
    if (call && this.driving === 0)
      event.replay = {
        channel: call.channel,
        request: call.request,
        ...(call.secrets ? { secrets: call.secrets } : {}),
        screen: place.screen,
        popup: place.popup,
      };
    this.events.push(event);
    // (the oldest go a tenth of the capacity at a time: one shift of the array per 500 events, not one per event)
    if (this.events.length > timelineCapacity * 1.1) this.events.splice(0, this.events.length - timelineCapacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * Runs `work` (a preset driving the car by inputs) with the events it causes kept without their
   * calls: a replay makes the work again, not each input it made.
   */
  async driven<T>(work: () => Promise<T>): Promise<T> {
    this.driving++;
    try {
      return await work();
    } finally {
      this.driving--;
    }
  }

  /** The events after `after` (a seq) of the kinds and guide steps asked (default all), oldest first, at most `limit`. */
  since(after: number, kinds?: readonly TimelineKind[], limit = 500, steps?: readonly GuideStep[]): TimelineEvent[] {
    // (seqs are kept without gaps: the first one after `after` is found by arithmetic, not a search)
    const oldest = this.events[0]?.seq ?? this.seq + 1;
    const found: TimelineEvent[] = [];
    for (let i = Math.max(0, after + 1 - oldest); i < this.events.length && found.length < limit; i++) {
      if (matches(this.events[i]!, kinds, steps)) found.push(this.events[i]!);
    }
    return found;
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

/** Whether an event is of the kinds and guide steps asked (each: all when not given). */
export function matches(event: TimelineEvent, kinds?: readonly TimelineKind[], steps?: readonly GuideStep[]): boolean {
  return (!kinds || kinds.includes(event.kind)) && (!steps || (event.step !== undefined && steps.includes(event.step)));
}

/** An input as the timeline says it: typed text by its length only (it may be a password). */
export function describeInput(input: ControllerInput): string {
  switch (input.kind) {
    case 'type':
      return `type ${[...input.text].length} character(s)`;
    case 'touch':
      return `touch ${input.itemId}`;
    case 'button':
      return `button ${input.button}`;
    case 'rotate':
      return `rotate ${input.detents > 0 ? '+' : ''}${input.detents}`;
    case 'tilt':
      return `tilt ${input.direction}`;
    default:
      return input.kind;
  }
}

/** The fields whose typed text the timeline keeps the length of, never the text: secrets, and the BMW ID's e-mail (personal data). */
const secretEntries = new Set(['entry.email', 'entry.password', 'entry.pin', 'entry.pinConfirm', 'entry.pinUnlock']);

/**
 * An input as a replay makes it again: as it was, but for text typed into a secret field or the
 * e-mail, of which only the length is kept; a replay is given that field's text again (`secrets`,
 * by screen id). A vehicle name, a number dialled and a contact search are kept as typed.
 */
export function inputCall(input: ControllerInput, screen: string): Omit<TimelineCall, 'screen' | 'popup'> {
  // (the input itself: nothing changes an input once sent)
  if (input.kind !== 'type' || !secretEntries.has(screen)) return { channel: 'input.send', request: input };
  return { channel: 'input.send', request: { kind: 'type', length: [...input.text].length }, secrets: [screen] };
}
