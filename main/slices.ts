/**
 * Long work in slices: the core runs on one event loop with the controller's input, so work that
 * grows with an address book gives the loop back every few milliseconds (a frame is 16 ms; the
 * head-unit norm for an answer is 100 ms).
 */

/** Gives the event loop a turn (input, timers, I/O) before going on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A function to call often inside long work: it gives the event loop a turn once `sliceMs` has
 * passed since the last one. The clock is read every `every` calls (reading it costs more than a
 * small step; pass 1 when each step is large). With `signal`, the work stops at the first turn
 * after it is aborted (the signal's reason thrown): a stopped car's background work ends there.
 */
export function slicer(sliceMs = 8, every = 256, signal?: AbortSignal): () => Promise<void> {
  let start = performance.now();
  let calls = 0;
  return async () => {
    if (++calls % every !== 0 || performance.now() - start < sliceMs) return;
    await nextTurn();
    signal?.throwIfAborted();
    start = performance.now();
  };
}

/**
 * JSON.stringify's result (compact), made in slices and kept in pieces of at most a few hundred
 * array items each: long arrays are written a chunk at a time with turns of the loop between, and
 * a caller that writes the pieces one by one never holds the loop for the whole text (a file of
 * tens of megabytes never freezes the car). Joined, the pieces are JSON.stringify's result.
 */
export async function jsonChunks(value: unknown, sliceMs = 8): Promise<string[]> {
  // (a chunk is a large step: the clock is read after each)
  const slice = slicer(sliceMs, 1);
  const chunk = 256;
  const out: string[] = [];
  const walk = async (v: unknown): Promise<boolean> => {
    if (Array.isArray(v)) {
      out.push('[');
      if (v.length <= chunk) {
        // A short array may still hold a long one (a phone with its address book): walked into.
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out.push(',');
          if (!(await walk(v[i]))) out.push('null');
        }
      } else {
        for (let i = 0; i < v.length; i += chunk) {
          const part = JSON.stringify(v.slice(i, i + chunk)).slice(1, -1);
          out.push(i > 0 ? `,${part}` : part);
          await slice();
        }
      }
      out.push(']');
      return true;
    }
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      out.push('{');
      let first = true;
      for (const [key, field] of Object.entries(v)) {
        const at = out.length;
        out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
        if (await walk(field)) first = false;
        else out.length = at; // (undefined and functions are left out, as JSON.stringify does)
      }
      out.push('}');
      return true;
    }
    const text = JSON.stringify(v) as string | undefined;
    if (text === undefined) return false;
    out.push(text);
    return true;
  };
  if (!(await walk(value))) return ['null'];
  return out;
}
