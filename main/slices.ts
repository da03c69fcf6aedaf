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
 * small step; pass 1 when each step is large).
 */
export function slicer(sliceMs = 8, every = 256): () => Promise<void> {
  let start = performance.now();
  let calls = 0;
  return async () => {
    if (++calls % every !== 0 || performance.now() - start < sliceMs) return;
    await nextTurn();
    start = performance.now();
  };
}

/**
 * JSON.stringify's result (compact), made in slices: long arrays are written a chunk at a time
 * with turns of the loop between, so a file of tens of megabytes never freezes the car.
 */
export async function stringifySliced(value: unknown, sliceMs = 8): Promise<string> {
  // (a chunk is a large step: the clock is read after each)
  const slice = slicer(sliceMs, 1);
  const chunk = 256;
  const walk = async (v: unknown): Promise<string | undefined> => {
    if (Array.isArray(v)) {
      if (v.length <= chunk) return JSON.stringify(v);
      const parts: string[] = [];
      for (let i = 0; i < v.length; i += chunk) {
        parts.push(JSON.stringify(v.slice(i, i + chunk)).slice(1, -1));
        await slice();
      }
      return `[${parts.filter((p) => p !== '').join(',')}]`;
    }
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      const fields: string[] = [];
      for (const [key, field] of Object.entries(v)) {
        const text = await walk(field);
        if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${fields.join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return (await walk(value)) ?? 'null';
}
