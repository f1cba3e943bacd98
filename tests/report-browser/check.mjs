// Opens a Rapport HTML report in Debian's headless Chromium (no download: playwright-core drives
// /usr/bin/chromium), takes a full-page screenshot at desktop width and one at phone width, and
// prints a JSON summary of what the page holds.
//
// Usage: node check.mjs REPORT.html OUT.png   (the phone screenshot goes to OUT-phone.png)
// Exit status: 0 when the page was checked (the caller judges the summary), 2 on bad usage,
// 1 when the browser could not be driven.

import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node check.mjs REPORT.html OUT.png');
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`no such file: ${file}`);
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const url = pathToFileURL(resolve(file)).href;
const phoneOut = out.replace(/(\.png)?$/i, '-phone.png');

// The machine has no internet: without these flags Chromium stalls trying to reach Google.
// Playwright adds a fresh temporary --user-data-dir itself (it refuses one in `args`).
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Loads the report in a fresh context, recording console errors and any request leaving the file. */
async function open(browser, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const consoleErrors = [];
  const externalRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === url || requested.startsWith('data:')) return route.continue();
    externalRequests.push(requested);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  return { context, page, consoleErrors, externalRequests };
}

/**
 * What the page holds: charts with their data marks, tables with their rows, and its width against
 * the viewport it was opened in (a mobile browser widens its layout to fit wide content, so the
 * intended width is passed in rather than read from `window.innerWidth`).
 */
function inspect(visibleWidth) {
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => ({
    label: svg.getAttribute('aria-label'),
    marks: svg.querySelectorAll('.mark').length,
  }));
  const tables = [...document.querySelectorAll('table')].map((table) => ({
    label: table.caption ? table.caption.textContent : '',
    inDetails: table.closest('details.numbers') !== null,
    rows: table.tBodies[0] ? table.tBodies[0].rows.length : 0,
  }));
  // Elements that stick out past the right edge without a scrolling box to hold them.
  const scrolls = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const overflowX = getComputedStyle(e).overflowX;
      if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') return true;
    }
    return false;
  };
  const offenders = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > visibleWidth + 1 && !scrolls(el))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`);
  return {
    title: document.title,
    headings: [...document.querySelectorAll('h2')].map((h) => h.textContent),
    charts,
    sparks: document.querySelectorAll('svg.spark .mark').length,
    tables,
    emptySections: document.querySelectorAll('.empty').length,
    width: visibleWidth,
    scrollWidth: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    offenders,
  };
}

let browser;
try {
  browser = await chromium.launch({ executablePath, headless: true, args, timeout: 60_000 });

  const desktop = await open(browser, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const d = await desktop.page.evaluate(inspect, 1280);
  await desktop.page.screenshot({ path: out, fullPage: true });

  const phone = await open(browser, {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const p = await phone.page.evaluate(inspect, 390);
  await phone.page.screenshot({ path: phoneOut, fullPage: true });

  const summary = {
    file: resolve(file),
    browser: browser.version(),
    title: d.title,
    headings: d.headings,
    charts: d.charts,
    chartsWithMarks: d.charts.filter((c) => c.marks > 0).length,
    sparks: d.sparks,
    tables: d.tables,
    emptySections: d.emptySections,
    consoleErrors: [...desktop.consoleErrors, ...phone.consoleErrors],
    externalRequests: [...desktop.externalRequests, ...phone.externalRequests],
    desktop: { width: d.width, scrollWidth: d.scrollWidth, height: d.height },
    phone: {
      width: p.width,
      scrollWidth: p.scrollWidth,
      height: p.height,
      overflow: p.scrollWidth > p.width,
      offenders: p.offenders,
    },
    screenshots: { desktop: resolve(out), phone: resolve(phoneOut) },
  };
  console.log(JSON.stringify(summary, null, 2));
} catch (err) {
  console.error(`could not check the report with ${executablePath}: ${err && err.stack ? err.stack : err}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
}
