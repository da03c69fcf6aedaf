// Runs in the display's page (plain browser JavaScript, loaded by bench/bluetooth.ts).
// Frame intervals: the time between consecutive animation frames, as painted.

/** Turns the controller one detent per frame, `steps` times, and returns the frame intervals meanwhile. */
window.measureScrollFrames = async function measureScrollFrames(steps, key) {
  const stamps = [];
  for (let i = 0; i < steps; i++) {
    stamps.push(await new Promise((resolve) => requestAnimationFrame(resolve)));
    window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }
  stamps.push(await new Promise((resolve) => requestAnimationFrame(resolve)));
  return stamps.slice(1).map((t, i) => t - stamps[i]);
};

/** The frame intervals over `ms` milliseconds without input (a list updating by itself). */
window.measureIdleFrames = async function measureIdleFrames(ms) {
  const stamps = [];
  const end = performance.now() + ms;
  while (performance.now() < end) stamps.push(await new Promise((resolve) => requestAnimationFrame(resolve)));
  return stamps.slice(1).map((t, i) => t - stamps[i]);
};
