import type { z } from 'zod';
import { automationContract, type ReplayChannel, type ReplayReport, type TimelineCall } from '../../shared/contract';
import { RequestFailed, type Handlers } from '../hosts/dispatch';
import type { Core } from '../core';
import type { View } from '../../shared/view';

/** The car as a replay follows it (a host's CarHost): its core now and once ready, and its views, whichever core runs. */
interface ReplayCar {
  core(): Pick<Core, 'view'>;
  ready(): Promise<Pick<Core, 'view' | 'snapshot'>>;
  onView(listener: (view: View) => void): () => void;
}

/** `timeline.replay` as parsed. */
export type ReplayRequest = z.output<(typeof automationContract)['timeline.replay']['request']>;

/** The calls made on a screen (an input, the world around it): each waits for the screen it was made on. */
const onAScreen = new Set<ReplayChannel>(['input.send', 'world.modem', 'world.bluetooth']);

/**
 * Makes a recorded timeline happen again on the car: from the car and world as new (`from:
 * "reset"`, the reset's pop-up acknowledged), a checkpoint, or as they are; then each input and
 * bench change in order, each input and world change only once the car shows the screen (and
 * pop-up) it was made on, so the car goes through the same screens (a preset is made again as a
 * whole, not the inputs it made). What the car did in answer is not replayed: it follows. Secrets
 * come from `secrets`: the text typed into a secret field by screen id (every character, in
 * order), a line's `networkPin` and `dPassword` one per line given. Throws a RequestFailed that
 * names the event where the car went another way, or the secret that is missing.
 */
export async function replayTimeline(handlers: Handlers<typeof automationContract>, car: ReplayCar, request: ReplayRequest): Promise<ReplayReport> {
  const { events, from, secrets, waitMs } = request;
  // (the guest preset: the car and world as new, the reset's pop-up acknowledged)
  if (from === 'reset') await handlers['preset.apply']({ preset: 'guest' });
  else if (from !== 'asIs') await handlers['checkpoint.restore']({ name: from.checkpoint });
  const typed = new Map(Object.entries(secrets).map(([key, values]) => [key, [...values.join('')]]));
  const given = new Map(Object.entries(secrets).map(([key, values]) => [key, [...values]]));
  const skipped: ReplayReport['skipped'] = [];
  let replayed = 0;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const call = event.replay;
    if (!call) {
      // (the car's own moves follow from the calls; a world change without a call cannot be made again)
      if (event.kind === 'world') skipped.push({ seq: event.seq, text: event.text, reason: 'not a change a replay can make' });
      continue;
    }
    if (onAScreen.has(call.channel)) await untilShown(car, call, waitMs, event);
    const payload = automationContract[call.channel].request.safeParse(withSecrets(call, typed, given, event.seq));
    if (!payload.success)
      throw new RequestFailed(`event ${event.seq} ("${event.text}") is not a call ${call.channel} takes: ${payload.error.issues[0]?.message ?? 'invalid'}`);
    const handler = handlers[call.channel] as (payload: unknown) => Promise<unknown>;
    await handler(payload.data);
    replayed++;
  }
  return { replayed, skipped, screen: (await car.ready()).snapshot() };
}

/** The call's request with its secrets put back; throws when the replay was not given them. */
function withSecrets(call: TimelineCall, typed: Map<string, string[]>, given: Map<string, string[]>, seq: number): Record<string, unknown> {
  if (!call.secrets) return call.request;
  if (call.channel === 'input.send') {
    const [screen = ''] = call.secrets;
    const length = Number(call.request.length);
    const characters = typed.get(screen) ?? [];
    if (characters.length < length) throw new RequestFailed(`event ${seq} typed ${length} character(s) into ${screen}: give that text in secrets["${screen}"]`);
    return { kind: 'type', text: characters.splice(0, length).join('') };
  }
  const request = { ...call.request };
  for (const field of call.secrets) {
    const value = given.get(field)?.shift();
    if (value === undefined) throw new RequestFailed(`event ${seq} needs a secret: give it in secrets["${field}"]`);
    // (`line.networkPin`: a field of the request's `line`)
    const [outer, inner] = field.split('.') as [string, string | undefined];
    if (inner === undefined) request[field] = value;
    else request[outer] = { ...(request[outer] as Record<string, unknown>), [inner]: value };
  }
  return request;
}

/** Until the car shows the screen and pop-up the call was made on; throws after `waitMs` with where it is instead. */
async function untilShown(car: ReplayCar, call: TimelineCall, waitMs: number, event: { seq: number; text: string }): Promise<void> {
  const there = (view: { screen: { id: string }; popup: { id: string } | null }) => view.screen.id === call.screen && (view.popup?.id ?? null) === call.popup;
  if (there((await car.ready()).view())) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      const view = car.core().view();
      const shown = `${view.screen.id}${view.popup ? ` with pop-up ${view.popup.id}` : ''}`;
      reject(
        new RequestFailed(
          `event ${event.seq} ("${event.text}") was made on ${call.screen}${call.popup ? ` with pop-up ${call.popup}` : ''}, but the car stayed on ${shown} for ${waitMs / 1000} s: the replay stops there`,
        ),
      );
    }, waitMs);
    const stop = car.onView((view) => {
      if (!there(view)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
