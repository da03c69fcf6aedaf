import * as z from 'zod';

/**
 * The iDrive controller as the core sees it (docs/facts.md "The iDrive controller"): rotate by detents,
 * tilt in four directions, press, the hard buttons, and touch on an item of the display.
 */
export const buttons = ['MENU', 'BACK', 'OPTION', 'TEL', 'NAV', 'MEDIA'] as const;
export type Button = (typeof buttons)[number];
export const directions = ['up', 'down', 'left', 'right'] as const;
export const benchKeys = ['Enter', 'Backspace'] as const;
export type Direction = (typeof directions)[number];

/** A real controller reports at most a few dozen detents per event; more is a broken client. */
export const maxDetents = 24;

export const ControllerInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('rotate'),
    detents: z
      .number()
      .int()
      .min(-maxDetents)
      .max(maxDetents)
      .refine((n) => n !== 0, 'zero detents'),
  }),
  z.strictObject({ kind: z.literal('tilt'), direction: z.enum(directions) }),
  z.strictObject({ kind: z.literal('press') }),
  z.strictObject({ kind: z.literal('button'), button: z.enum(buttons) }),
  /** A touch (or mouse click) on an item of the current screen or pop-up. */
  z.strictObject({ kind: z.literal('touch'), itemId: z.string().min(1).max(128) }),
  /** Typed text from a bench keyboard; it means something only on an entry screen. */
  z.strictObject({ kind: z.literal('type'), text: z.string().min(1).max(64) }),
  /**
   * A bench-keyboard key whose meaning depends on the screen it lands on, so the core decides it
   * (the display may not have drawn that screen yet): on an entry screen Backspace deletes and
   * Enter submits (or presses the focused key, when the cursor was moved since the last character
   * typed); elsewhere Backspace is BACK and Enter is the controller's press.
   */
  z.strictObject({ kind: z.literal('key'), key: z.enum(benchKeys) }),
]);
export type ControllerInput = z.infer<typeof ControllerInput>;

/**
 * The cursor rule every host shares (the core's interpretation and the display's prediction):
 * over the ids that can take the cursor, `steps` on from `current` (from the first when `current`
 * is none of them), stopping at the ends of the list. Null when nothing can take the cursor.
 * `indexOf` finds an id's place (a long list passes a prepared index).
 */
export function stepCursor(
  ids: readonly string[],
  current: string | null,
  steps: number,
  indexOf: (id: string) => number = (id) => ids.indexOf(id),
): string | null {
  if (ids.length === 0) return null;
  const from = Math.max(0, current === null ? 0 : indexOf(current));
  return ids[Math.min(ids.length - 1, Math.max(0, from + steps))] ?? null;
}
