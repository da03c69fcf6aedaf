import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { automationContract } from '../../shared/contract';
import { automationDocPath, withChannelTable } from '../../scripts/automationDoc';

/** docs/automation.md says what the contract accepts: its channel table is the one the schemas make. */
describe('docs/automation.md', () => {
  it('lists every automation channel with its request as the contract has it', async () => {
    const doc = await readFile(automationDocPath, 'utf8');
    expect(doc, 'run "npx tsx scripts/automationDoc.ts"').toBe(withChannelTable(doc));
    for (const channel of Object.keys(automationContract)) expect(doc).toContain(`| \`${channel}\` |`);
  });
});
