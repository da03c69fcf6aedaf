/**
 * One push per turn of the event loop: a burst of changes (200 phones re-ranked by one discovery
 * sweep) reaches the display as one update with the newest value, not one per change.
 */
export function coalesced<T>(send: (value: T) => void): { push(value: T): void; flush(): void; cancel(): void } {
  let pending: { value: T } | null = null;
  let scheduled: NodeJS.Immediate | null = null;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const next = pending;
    pending = null;
    if (next) send(next.value);
  };
  return {
    push: (value) => {
      pending = { value };
      scheduled ??= setImmediate(flush);
    },
    /** sends what is pending now (before the answer to an input, so the display never lags it) */
    flush,
    cancel: () => {
      if (scheduled) clearImmediate(scheduled);
      scheduled = null;
      pending = null;
    },
  };
}
