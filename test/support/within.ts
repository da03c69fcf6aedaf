/**
 * `promise`, or a rejection naming `what` once `ms` have passed: a wait on another process (a
 * D-Bus mock, a child) that never ends then says which wait it was, rather than leaving the test
 * to the runner's timeout, which names none. `detail` adds the state that was seen instead.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string, detail?: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms${detail ? `: ${JSON.stringify(detail())}` : ''}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
