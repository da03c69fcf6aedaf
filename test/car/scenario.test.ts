import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readScenario } from '../../cloud/scenarioFile';
import { describeWorld } from '../../shared/scenario';
import { carWithCloud, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';

/** A scenario file changes what it names and keeps the rest of the demo world. */
const tempDir = useTempDirs();
let car: CarWithCloud | undefined;
afterEach(async () => car?.stop());

async function scenarioFile(content: object): Promise<string> {
  const path = join(await tempDir(), 'scenario.json');
  await writeFile(path, JSON.stringify(content));
  return path;
}

describe('a scenario file', () => {
  it('as in docs/start-options.md (the car in Japanese at night) keeps the demo accounts and phones, and applies on a first start', async () => {
    const scenario = await readScenario(await scenarioFile({ version: 1, car: { language: 'ja', theme: 'night' } }));
    expect(scenario.accounts.map((a) => a.email)).toEqual(['hanako@example.com', 'ichiro@example.com', 'jiro@example.com', 'taro@example.com']);
    expect(scenario.phones.map((p) => p.name)).toEqual(["Hanako's iPhone", 'Pixel 8', 'Galaxy S24']);
    car = await carWithCloud(await tempDir(), scenario);
    expect(car.core.view()).toMatchObject({ language: 'ja', theme: 'night' });
    await addByEmail(car.core, 'taro@example.com', 'bmw-id-demo', null);
    expect(car.core.view().status.profile).toBe('Taro Yamada');
  });

  it('with a shorter QR lifetime and one more account adds to the demo world', async () => {
    const scenario = await readScenario(
      await scenarioFile({
        version: 1,
        name: 'short codes',
        cloud: { deviceCodeLifetimeSeconds: 60 },
        accounts: [{ email: 'saburo@example.com', password: 'saburo-demo-1', name: 'Saburo Ito' }],
        phones: [{ name: 'Pixel 8 (flat battery)', address: 'F4:F5:E8:12:34:56', inRange: false }],
      }),
    );
    expect(scenario.cloud.deviceCodeLifetimeSeconds).toBe(60);
    expect(scenario.cloud.pollIntervalSeconds).toBe(1);
    expect(scenario.cloud.pollHoldSeconds).toBe(5);
    expect(scenario.accounts.map((a) => a.email)).toEqual([
      'hanako@example.com',
      'ichiro@example.com',
      'jiro@example.com',
      'taro@example.com',
      'saburo@example.com',
    ]);
    // a phone at a demo phone's address replaces it
    expect(scenario.phones.map((p) => [p.name, p.inRange])).toEqual([
      ["Hanako's iPhone", true],
      ['Pixel 8 (flat battery)', false],
      ['Galaxy S24', true],
    ]);
    expect(describeWorld(scenario)).toBe(
      'world "short codes": 5 BMW ID account(s) (hanako@example.com, ichiro@example.com, jiro@example.com, taro@example.com, saburo@example.com); 3 simulated phone(s) (Hanako\'s iPhone, Pixel 8 (flat battery), Galaxy S24)',
    );
  });

  it('starts from nothing only when it says so', async () => {
    const scenario = await readScenario(
      await scenarioFile({ version: 1, base: 'empty', accounts: [{ email: 'jiro@example.com', password: 'jiro-demo-1', name: 'Jiro Sato' }] }),
    );
    expect(scenario.accounts.map((a) => a.email)).toEqual(['jiro@example.com']);
    expect(scenario.phones).toEqual([]);
  });
});
