/** The listeners of a backend's events: `add` hands back the unsubscribe, as the hardware contracts say. */
export class Listeners<E> {
  private readonly set = new Set<(event: E) => void>();

  add(listener: (event: E) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.set) listener(event);
  }

  clear(): void {
    this.set.clear();
  }
}
