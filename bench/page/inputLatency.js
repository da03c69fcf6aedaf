// Runs in the display's page (plain browser JavaScript, loaded by bench/shell.ts).
// Sends `count` controller steps, each at a random moment within a frame, as a hand would, and
// measures for each: processing (dispatch → the DOM focus on the new item) and input to next paint
// (dispatch → the frame that shows it has been painted).
window.measureInputLatency = async function measureInputLatency(count) {
  const processing = [];
  const paint = [];
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const afterPaint = () =>
    new Promise((resolve) => {
      // rAF callbacks run before the frame's paint; a task posted from there runs after it
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      });
    });
  const rows = () => [...document.querySelectorAll('.screen button[data-item-id]')];
  let direction = 1;
  for (let i = 0; i < count; i++) {
    await nextFrame();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 16));
    const list = rows();
    const index = list.indexOf(document.activeElement);
    if (index + direction < 0 || index + direction >= list.length) direction = -direction;
    const focused = new Promise((resolve) => document.addEventListener('focusin', () => resolve(performance.now()), { once: true }));
    const sent = performance.now();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: direction > 0 ? ']' : '[', bubbles: true }));
    const shown = await focused;
    const painted = await afterPaint();
    processing.push(shown - sent);
    paint.push(painted - sent);
  }
  return { processing, paint };
};
