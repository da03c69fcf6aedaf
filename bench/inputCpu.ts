import { startHeadUnit } from '../test/support/headUnit';
import { cpuMsOf } from './proc';
import { report, summary } from './stats';

/**
 * What one controller input costs a headless unit of a fleet: the CPU time of the unit's process
 * (user + system, from /proc/<pid>/stat, in 10 ms ticks: hence thousands of inputs) for inputs sent
 * through the automation API one after the other, as a test runner drives a car: down and up the
 * main menu, into Mobile devices and back. With `--cloud-url` (a fleet's car) and with the
 * embedded cloud; five rounds of 5,000 inputs each.
 */
async function cpuPerInput(extra: string[]): Promise<number[]> {
  const unit = await startHeadUnit(0, extra);
  const cpu = () => cpuMsOf(unit.process.pid!);
  const walk = async () => {
    for (let i = 0; i < 4; i++) await unit.car.input({ kind: 'rotate', detents: 1 });
    for (let i = 0; i < 4; i++) await unit.car.input({ kind: 'rotate', detents: -1 });
    await unit.car.input({ kind: 'touch', itemId: 'mobileDevices' });
    await unit.car.input({ kind: 'button', button: 'BACK' });
  };
  try {
    for (let i = 0; i < 50; i++) await walk(); // (warm: the JIT, the sockets)
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      const before = await cpu();
      for (let i = 0; i < 500; i++) await walk();
      rounds.push(((await cpu()) - before) / 5000);
    }
    return rounds;
  } finally {
    await unit.stop();
  }
}

const fleetCar = summary(await cpuPerInput(['--cloud-url', 'http://127.0.0.1:9/']));
const embedded = summary(await cpuPerInput([]));
await report(
  'input-cpu',
  [
    { name: 'CPU per input, a fleet car (--cloud-url), median of 5 rounds', value: Number(fleetCar.p50.toFixed(3)), unit: 'ms', goal: '≤ 0.4 ms' },
    { name: 'CPU per input, the embedded cloud, median of 5 rounds', value: Number(embedded.p50.toFixed(3)), unit: 'ms', goal: '≤ 0.4 ms' },
  ],
  { fleetCar, embedded },
);
