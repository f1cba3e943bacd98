// The map's first render in Debian's headless Chromium: from navigation to every person drawn
// (the page's script marks the canvas when it has drawn), over a running `rapport serve`, and the
// time one hover takes to repaint. Uses the playwright-core the dashboard's browser tests install.
// Usage: node bench/server/map.mjs BASE_URL [RUNS]   (prints one Markdown row per measure)
import { chromium } from '../../tests/dashboard-browser/node_modules/playwright-core/index.mjs';

const [base, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args });
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const firsts = [];
const hovers = [];
let nodes = 0;
try {
  for (let i = 0; i < runs; i += 1) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const started = Date.now();
    await page.goto(`${base}/map`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.getElementById('map')?.dataset.nodes, null, { timeout: 60_000 });
    firsts.push(Date.now() - started);
    nodes = Number(await page.getAttribute('#map', 'data-nodes'));
    // A sweep of 50 hover moves across the map, timed inside the page.
    hovers.push(await page.evaluate(async () => {
      const canvas = document.getElementById('map');
      const box = canvas.getBoundingClientRect();
      const t0 = performance.now();
      for (let k = 0; k < 50; k += 1) {
        canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + (box.width * k) / 50, clientY: box.top + box.height / 2 }));
      }
      return (performance.now() - t0) / 50;
    }));
    await page.close();
  }
  console.log(`| map first render, ${nodes} people (navigation to drawn, median of ${runs}) | ${median(firsts)} ms |`);
  console.log(`| map hover repaint (mean of 50 moves, median of ${runs}) | ${median(hovers).toFixed(2)} ms |`);
} finally {
  await browser.close();
}
