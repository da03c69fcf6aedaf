import { bootCore, type Booted } from '../boot';
import type { Core } from '../core';
import type { CarHost } from '../hosts/handlers';
import { log } from '../log';
import type { StartOptions } from '../options';
import { version } from '../version';
import type { View } from '../../shared/view';
import {
  CheckpointError,
  checkpointDir,
  finishInterruptedRestore,
  listCheckpoints,
  restoreCheckpoint,
  saveCheckpoint,
  verifyCheckpoint,
  type CheckpointInfo,
} from './checkpoints';

/**
 * The bench as the hosts serve it: the car and its world as bootCore starts them, and checkpoints
 * of them. Restoring a checkpoint while the car runs stops the world (every file settled), puts the
 * checkpoint's files in place and boots again, on the same cloud port, with the timeline and the
 * view's revisions going on: the display redraws, a timeline reader reads on, and requests that
 * come meanwhile wait for the new car rather than reach the old one.
 */
export class Bench implements CarHost {
  /** the checkpoint operation last asked for, until it is over */
  private restarting: Promise<unknown> | null = null;
  private readonly viewListeners = new Set<(view: View) => void>();
  private stopViews: () => void;

  private constructor(
    private booted_: Booted,
    private readonly options: StartOptions,
    private readonly distDir: string | undefined,
  ) {
    this.stopViews = this.follow(booted_.core);
  }

  /**
   * Boots the bench: first a restore a crash cut short is finished, then `--checkpoint` is put in
   * place (a checkpoint that is missing or damaged stops the start with why, changing nothing).
   */
  static async start(options: StartOptions, distDir?: string): Promise<Bench> {
    const finished = await finishInterruptedRestore(options.dataDir);
    const chosen =
      options.checkpoint === undefined
        ? null
        : await restoreCheckpoint(options.dataDir, checkpointDir(options.dataDir, options.checkpoint)).catch(async (error: unknown) => {
            throw new Error(`--checkpoint ${options.checkpoint}: ${(error as Error).message}${await knownNames(options.dataDir)}`, { cause: error });
          });
    const bench = new Bench(await bootCore(options, distDir), options, distDir);
    if (finished) bench.core().timeline.add('world', `checkpoint restore from ${finished} finished after a crash`);
    if (chosen) bench.core().timeline.add('world', `checkpoint "${chosen.name}" restored at start`, { checkpoint: chosen.name });
    return bench;
  }

  /** What bootCore started (the cloud, the exposures), as of the latest (re)start. */
  get booted(): Booted {
    return this.booted_;
  }

  core(): Core {
    return this.booted_.core;
  }

  async ready(): Promise<Core> {
    while (this.restarting) await this.restarting.catch(() => undefined);
    return this.booted_.core;
  }

  onView(listener: (view: View) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  readonly checkpoints = {
    list: (): Promise<CheckpointInfo[]> => listCheckpoints(this.options.dataDir),
    /** Saves the running bench under `name` (replacing one of that name), once every pending write is on disk. */
    save: (name: string): Promise<CheckpointInfo> =>
      this.exclusive(async () => {
        await this.booted_.saved();
        const info = await saveCheckpoint(this.options.dataDir, name, version);
        this.booted_.core.timeline.add('world', `checkpoint "${name}" saved`, { checkpoint: name, bytes: info.bytes });
        return info;
      }),
    /** Restores checkpoint `name` (or a checkpoint directory's path): the car restarts on it. */
    restore: (name: string): Promise<CheckpointInfo> =>
      this.exclusive(async () => {
        // (a real adapter's agent and connections are not let go by a stop: start again with --checkpoint instead)
        if (this.options.bluetooth !== 'sim')
          throw new CheckpointError(
            `a checkpoint is restored while the car runs with the simulated phones only; with --bluetooth ${this.options.bluetooth}, restart the head unit with --checkpoint ${name}`,
          );
        const dir = checkpointDir(this.options.dataDir, name);
        const verified = await verifyCheckpoint(dir); // (a damaged one is refused while the car still runs)
        let info: CheckpointInfo | undefined;
        await this.reboot(`restoring checkpoint "${name}"`, async () => {
          info = await restoreCheckpoint(this.options.dataDir, dir, verified);
        });
        this.booted_.core.timeline.add(
          'world',
          `checkpoint "${info!.name}" restored`,
          { checkpoint: info!.name },
          { call: { channel: 'checkpoint.restore', request: { name: info!.name } } },
        );
        return info!;
      }),
  };

  /**
   * The car switched off and on (an ignition cycle): everything it keeps written, the world
   * stopped, then both started again from the data dir, on the same cloud port; requests wait.
   */
  restart(): Promise<void> {
    return this.exclusive(async () => {
      if (this.options.bluetooth !== 'sim')
        throw new CheckpointError(
          `the car restarts while it runs with the simulated phones only; with --bluetooth ${this.options.bluetooth}, restart the head unit`,
        );
      await this.reboot('a restart');
      this.booted_.core.timeline.add('world', 'car restarted (ignition off and on)', undefined, { call: { channel: 'car.restart', request: {} } });
    });
  }

  /** Stops the car and its world, runs `between` (files replaced), boots both again; the timeline and revisions go on. */
  private async reboot(what: string, between?: () => Promise<void>): Promise<void> {
    const old = this.booted_;
    const continues = { timeline: old.core.timeline, revision: old.core.view().revision };
    this.stopViews();
    await old.stop();
    await between?.();
    // (the phone pages and QR codes name the cloud's port: the new cloud keeps it)
    const cloudPort = old.cloud ? Number(new URL(old.cloud.url).port) : this.options.cloudPort;
    try {
      this.booted_ = await bootCore({ ...this.options, cloudPort }, this.distDir, continues);
    } catch (error) {
      log('head unit').error(`the car could not start again after ${what}: ${(error as Error).message}`);
      throw error;
    }
    this.stopViews = this.follow(this.booted_.core);
    this.publish(this.booted_.core.view());
  }

  async stop(): Promise<void> {
    await this.ready();
    this.stopViews();
    await this.booted_.stop();
  }

  /** One checkpoint operation at a time, in the order asked; requests wait for them (see ready). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = (this.restarting ?? Promise.resolve()).catch(() => undefined).then(work);
    this.restarting = run;
    const clear = () => {
      if (this.restarting === run) this.restarting = null;
    };
    run.then(clear, clear);
    return run;
  }

  private follow(core: Core): () => void {
    return core.onView((view) => this.publish(view));
  }

  private publish(view: View): void {
    for (const listener of this.viewListeners) listener(view);
  }
}

async function knownNames(dataDir: string): Promise<string> {
  const names = (await listCheckpoints(dataDir)).map((c) => c.name);
  return names.length > 0 ? ` (this data dir has: ${names.join(', ')})` : ' (this data dir has none)';
}
