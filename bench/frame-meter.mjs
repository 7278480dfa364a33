// Frame times in a page, for the overview's bench scenario and its browser test: every
// animation frame's interval (rAF to rAF: 16.7 ms at 60 Hz when no frame is missed) and its
// main-thread work (from the first rAF callback of the frame to a message posted there, which
// runs once the frame's callbacks, style, layout and paint are done), and the frames of 50 ms
// or more the browser reports (long-animation-frame).
/* global window, requestAnimationFrame -- the functions given to page.evaluate run in the page */

/**
 * Starts measuring in `page` (a Playwright page); what came before is dropped.
 * @param {import('playwright-core').Page} page
 */
export const startFrameMeter = (page) =>
  page.evaluate(() => {
    const meter = { intervals: [], work: [], longFrames: 0, running: true };
    const w = /** @type {any} */ (window);
    if (w.__frameMeter) {
      w.__frameMeter.running = false;
    }
    w.__frameMeter = meter;
    const channel = new MessageChannel();
    let start = 0;
    channel.port1.onmessage = () => meter.work.push(performance.now() - start);
    let last = 0;
    // Requested at the end of each callback, so next frame it runs before the page's own.
    const loop = (/** @type {number} */ t) => {
      if (!meter.running) {
        return;
      }
      start = performance.now();
      if (last) {
        meter.intervals.push(t - last);
      }
      last = t;
      channel.port2.postMessage(0);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    try {
      new PerformanceObserver((list) => {
        meter.longFrames += list.getEntries().length;
      }).observe({ type: 'long-animation-frame' });
    } catch {
      // not in this browser: the intervals still tell
    }
  });

/** @param {number[]} values @param {number} q 0…1 */
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (/** @type {number} */ v) => Math.round(v * 10) / 10;
/** @param {number[]} values */
const spread = (values) => ({
  p50: round(quantile(values, 0.5)),
  p95: round(quantile(values, 0.95)),
  max: round(Math.max(...values)),
});

/**
 * Stops measuring and summarises: frames, interval and work p50/p95/max (ms), frames missed
 * (an interval past 1.5 of the median one), long animation frames.
 * @param {import('playwright-core').Page} page
 */
export async function readFrameMeter(page) {
  const { intervals, work, longFrames } = await page.evaluate(() => {
    const meter = /** @type {any} */ (window).__frameMeter;
    meter.running = false;
    return { intervals: meter.intervals, work: meter.work, longFrames: meter.longFrames };
  });
  const typical = quantile(intervals, 0.5);
  return {
    frames: intervals.length,
    intervalMs: spread(intervals),
    workMs: spread(work),
    missed: intervals.filter((i) => i > typical * 1.5).length,
    longFrames,
  };
}
