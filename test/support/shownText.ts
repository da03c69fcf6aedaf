import { expect } from 'vitest';
import type { View } from '../../shared/view';

/** Fails when anything on the display still holds a catalog placeholder such as `{seconds}`. */
export function expectNoPlaceholders(view: View): void {
  const text = JSON.stringify({ ...view, status: { ...view.status, time: '' } });
  expect(text, 'a message placeholder reached the screen').not.toMatch(/\{[a-zA-Z]\w*\}/);
}
