import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../main/core';
import type { ControllerInput } from '../../shared/controller';
import { predictFocus } from '../../renderer/head-unit/prediction';
import { useTempDirs } from '../support/tempDir';
import { simulatedParts } from '../../main/world';
import { defaultScenario } from '../../shared/scenario';

/**
 * The display predicts where the cursor goes so it can move it in the same frame. The core is the
 * truth, so the prediction must agree with it: from random places in the shell, every rotate and
 * tilt the display predicts must land where the core puts the cursor.
 */
const tempDir = useTempDirs();
const cores: Core[] = [];
afterAll(async () => Promise.all(cores.map((c) => c.stop())));

const anyInput: fc.Arbitrary<ControllerInput> = fc.oneof(
  fc
    .integer({ min: -24, max: 24 })
    .filter((n) => n !== 0)
    .map((detents) => ({ kind: 'rotate' as const, detents })),
  fc.constantFrom('up', 'down', 'left', 'right').map((direction) => ({ kind: 'tilt' as const, direction })),
  fc.constant({ kind: 'press' as const }),
  fc.constantFrom('BACK', 'OPTION', 'MENU', 'NAV').map((button) => ({ kind: 'button' as const, button })),
);

describe('cursor prediction in the display', () => {
  it('agrees with the core wherever it predicts', async () => {
    const core = new Core({ dataDir: await tempDir(), language: 'en', parts: simulatedParts(defaultScenario) });
    cores.push(core);
    await core.ready;
    let predictions = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyInput, { minLength: 1, maxLength: 30 }), async (inputs) => {
        await core.reset();
        for (const input of inputs) {
          const view = core.view();
          const current = view.popup ? view.popup.focus : view.screen.focus;
          const predicted = predictFocus(view, current, input);
          core.input(input);
          if (predicted === null) continue;
          predictions++;
          const after = core.view();
          expect(after.popup ? after.popup.focus : after.screen.focus).toBe(predicted);
        }
      }),
      { numRuns: 150 },
    );
    expect(predictions).toBeGreaterThan(200); // the check was not vacuous
  });
});
