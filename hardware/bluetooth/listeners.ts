import type { BluetoothEvent } from './contract';

/** The listeners of a backend's events: `on` hands back the unsubscribe, as the contract says. */
export class Listeners {
  private readonly set = new Set<(event: BluetoothEvent) => void>();

  add(listener: (event: BluetoothEvent) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(event: BluetoothEvent): void {
    for (const listener of this.set) listener(event);
  }

  clear(): void {
    this.set.clear();
  }
}
