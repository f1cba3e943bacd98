// Drives a running `rapport serve` (on the demo store) in Debian's headless Chromium through
// playwright-core: every page at desktop and phone width (console errors, requests leaving the
// server, sideways overflow, a screenshot each), done and snooze surviving a reload, a pitch typed
// into a reply box, a reconnect sent as a private message, the map drawing every person and a click opening one, keyboard navigation,
// and an import started on the page that completes and updates another open page.
//
// Usage: node check.mjs BASE_URL OUT_DIR     (prints a JSON summary; the caller judges it)
// Exit status: 0 when the checks ran, 2 on bad usage, 1 when the browser could not be driven.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node check.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const origin = new URL(base).origin;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
// The machine has no internet: without these flags Chromium stalls trying to reach Google.
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const PAGES = [
  ['today', '/'], ['people', '/people'], ['map', '/map'], ['discover', '/discover'],
  ['groups', '/groups'], ['audit', '/audit'], ['report', '/report'], ['import', '/import'],
];

const consoleErrors = [];
const outside = [];

async function context(browser, phone) {
  const ctx = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
  );
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return ctx;
}

async function open(ctx, path) {
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${path}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`${path}: ${err}`));
  const response = await page.goto(base + path, { waitUntil: 'load', timeout: 30_000 });
  return { page, status: response ? response.status() : 0 };
}

/** Elements sticking out past the right edge, with no scrolling box to hold them. */
function overflow(width) {
  const scrolls = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    offenders: [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\s+/g, '.')}`),
  };
}

const summary = { pages: {}, phone: {}, today: {}, check: {}, send: {}, view: {}, map: {}, keyboard: {}, import: {} };
let browser;
try {
  browser = await chromium.launch({ executablePath, headless: true, args, timeout: 60_000 });
  summary.browser = browser.version();

  // Every page, desktop and phone.
  for (const phone of [false, true]) {
    const ctx = await context(browser, phone);
    for (const [name, path] of PAGES) {
      const { page, status } = await open(ctx, path);
      if (name === 'map') await page.waitForFunction(() => document.getElementById('map')?.dataset.nodes, null, { timeout: 30_000 });
      const facts = await page.evaluate((w) => ({
        title: document.title,
        rows: document.querySelectorAll('tbody tr').length,
        cards: document.querySelectorAll('.card, .action, section').length,
        text: document.body.innerText.length,
      }));
      const width = phone ? 390 : 1280;
      const over = await page.evaluate(overflow, width);
      await page.screenshot({ path: join(outDir, `${name}-${phone ? 'phone' : 'desktop'}.png`), fullPage: true });
      // The first screenful too: what a person sees on opening the page.
      await page.screenshot({ path: join(outDir, `${name}-${phone ? 'phone' : 'desktop'}-top.png`) });
      (phone ? summary.phone : summary.pages)[name] = { status, ...facts, ...over, overflow: over.scrollWidth > width };
      await page.close();
    }
    const top = await (await ctx.request.get(`${base}/api/people?limit=1`)).json();
    const { page, status } = await open(ctx, `/person/${encodeURIComponent(top.people[0].key)}`);
    const over = await page.evaluate(overflow, phone ? 390 : 1280);
    await page.screenshot({ path: join(outDir, `person-${phone ? 'phone' : 'desktop'}.png`), fullPage: true });
    (phone ? summary.phone : summary.pages).person = {
      status,
      charts: await page.locator('svg.chart circle').count(),
      ...over,
      overflow: over.scrollWidth > (phone ? 390 : 1280),
    };
    await page.close();
    await ctx.close();
  }

  const ctx = await context(browser, false);

  // A reconnect sent from Today (Mastodon is the stand-in here; the caller names the action in
  // RECONNECT_ACTION), first, before other checks mark actions done: the card says before the
  // click that it is a private message and to whom; after the click the action leaves the list,
  // and stays gone after a reload.
  {
    const page = await ctx.newPage();
    await page.goto(`${base}/?limit=50`, { waitUntil: 'load' });
    const card = page.locator(`[data-action-id="${process.env.RECONNECT_ACTION}"]:has(button[data-send])`);
    summary.reconnect = { offered: await card.count() };
    if (summary.reconnect.offered) {
      const id = await card.getAttribute('data-action-id');
      summary.reconnect.id = id;
      summary.reconnect.plan = await card.locator('.send-plan').innerText();
      await card.locator('textarea').fill('It has been a while! How did the tomatoes do this year?');
      await card.locator('button[data-send]').click();
      await page.locator(`[data-action-id="${id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
      await page.reload({ waitUntil: 'load' });
      summary.reconnect.afterReload = await page.locator(`[data-action-id="${id}"]`).count();
      await page.screenshot({ path: join(outDir, 'today-sent-desktop.png'), fullPage: false });
    }
    await page.close();
  }

  // Done and snooze survive a reload.
  {
    const { page } = await open(ctx, '/');
    const ids = await page.$$eval('[data-action-id]', (els) => els.map((e) => e.dataset.actionId));
    const [done, snoozed] = ids;
    await page.locator(`[data-action-id="${done}"] button[data-do="done"]`).click();
    await page.waitForSelector(`[data-action-id="${done}"]`, { state: 'detached' });
    await page.locator(`[data-action-id="${snoozed}"] button[data-do="snooze"]`).click();
    await page.waitForSelector(`[data-action-id="${snoozed}"]`, { state: 'detached' });
    await page.reload({ waitUntil: 'load' });
    const after = await page.$$eval('[data-action-id]', (els) => els.map((e) => e.dataset.actionId));
    summary.today = { before: ids.length, done, snoozed, after, hiddenAfterReload: !after.includes(done) && !after.includes(snoozed) };

    // Typing a pitch into a reply box flags it, in place.
    const box = page.locator('textarea[data-check]').first();
    await box.click();
    await box.pressSequentially('Hi! Buy our premium compost bins now, 20% off this week only: https://shop.example/deal', { delay: 5 });
    const result = page.locator('.check-result .verdict').first();
    await result.waitFor({ timeout: 15_000 });
    summary.check = {
      verdict: await result.innerText(),
      marks: await page.locator('.draft .mirror mark').count(),
      findings: await page.locator('.check-result .findings li').count(),
    };
    await page.screenshot({ path: join(outDir, 'today-check-desktop.png'), fullPage: false });
    await page.close();
  }

  // Send: with accounts connected (Bluesky's server here is down), an action offers "Send"; a click
  // on Bluesky sends nothing, says why, and the action stays. Its page is opened without the
  // console check: the browser logs the expected 502 itself.
  {
    const page = await ctx.newPage();
    await page.goto(`${base}/?limit=50`, { waitUntil: 'load' });
    const buttons = await page.locator('button[data-send]').count();
    summary.send = { buttons };
    if (buttons) {
      const card = page.locator('[data-action-id]:has(button[data-send]:has-text("Send on bluesky"))').first();
      const id = await card.getAttribute('data-action-id');
      await card.locator('textarea').fill('Thank you, good question: yes, it comes in green too.');
      await card.locator('button[data-send]').click();
      const error = card.locator('.error');
      await error.waitFor({ timeout: 30_000 });
      summary.send.error = await error.innerText();
      summary.send.stays = await page.locator(`[data-action-id="${id}"]`).count();
      await page.screenshot({ path: join(outDir, 'today-send-desktop.png'), fullPage: false });
    }
    await page.close();
  }

  // The map draws every person; a click on a node opens them.
  {
    const { page } = await open(ctx, '/map');
    const started = Date.now();
    await page.waitForFunction(() => document.getElementById('map')?.dataset.nodes, null, { timeout: 30_000 });
    const firstRender = Date.now() - started;
    const data = await (await ctx.request.get(`${base}/api/map`)).json();
    const drawn = Number(await page.getAttribute('#map', 'data-nodes'));
    const drawMs = Number(await page.getAttribute('#map', 'data-draw-ms'));
    // People come strongest first, as columns; places in ten-thousandths of the radius.
    const strongest = { x: data.people.x[0] / 10000, y: data.people.y[0] / 10000 };
    const box = await page.locator('#map').boundingBox();
    const reach = box.width / 2 - 8;
    await page.mouse.move(box.x + box.width / 2 + strongest.x * reach, box.y + box.width / 2 + strongest.y * reach);
    const tip = await page.locator('#map-tip').innerText().catch(() => '');
    await page.mouse.click(box.x + box.width / 2 + strongest.x * reach, box.y + box.width / 2 + strongest.y * reach);
    await page.waitForURL('**/person/**', { timeout: 15_000 });
    summary.map = {
      people: data.count,
      drawn,
      tableRows: 0,
      firstRenderMs: firstRender,
      drawMs,
      tip,
      opened: new URL(page.url()).pathname,
      openedHeading: await page.locator('h1').innerText(),
    };
    await page.goBack({ waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('map')?.dataset.table, null, { timeout: 30_000 });
    summary.map.tableRows = await page.locator('#map-table tbody tr').count();
    await page.close();
  }

  // Keyboard: the skip link first, then the navigation, Enter follows a link.
  {
    const { page } = await open(ctx, '/');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.textContent.trim());
    let reached = false;
    for (let i = 0; i < 15 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.textContent.trim() === 'People');
    }
    if (reached) {
      await page.keyboard.press('Enter');
      await page.waitForURL('**/people', { timeout: 15_000 });
    }
    // On People, Tab reaches the search box and typing plus Enter filters.
    summary.keyboard = { first, reachedPeople: reached, url: new URL(page.url()).pathname };
    await page.close();
  }

  // A view chosen in the address: the page says so, and the navigation and the filters keep it.
  {
    const { page } = await open(ctx, '/people?as_of=2026-06-01');
    const banner = await page.locator('.view-banner').innerText().catch(() => '');
    const mapHref = await page.locator('header nav a', { hasText: 'Map' }).getAttribute('href');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForLoadState('load');
    summary.view = { banner, mapHref, afterFilter: new URL(page.url()).search };
    await page.close();
  }

  // Keyboard on Today: Tab reaches an action's Done button, Enter marks it done, and the focus
  // lands on the next action's person instead of falling back to the top of the page.
  {
    const { page } = await open(ctx, '/');
    let id = null;
    for (let i = 0; i < 80 && !id; i += 1) {
      await page.keyboard.press('Tab');
      id = await page.evaluate(() => {
        const el = document.activeElement;
        return el && el.dataset.do === 'done' ? el.closest('[data-action-id]').dataset.actionId : null;
      });
    }
    if (id) {
      await page.keyboard.press('Enter');
      await page.waitForSelector(`[data-action-id="${id}"]`, { state: 'detached', timeout: 15_000 });
    }
    summary.keyboard.doneId = id;
    summary.keyboard.focusAfter = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest('[data-action-id] h2') ? el.textContent.trim() : (el ? el.tagName : '');
    });
    await page.close();
  }

  // An import started on the page completes, and an open page updates without a reload.
  {
    const watcher = (await open(ctx, '/people?q=pagefriend')).page;
    const before = await watcher.locator('tbody tr').count();
    const { page } = await open(ctx, '/import');
    // An interaction with the demo owner's Mastodon account, so the new person is one of "my" people.
    const csv = 'timestamp,source,target,kind,network,text\n2026-10-30T10:00:00Z,pagefriend,https://garden.example/users/greenfork,mention,mastodon,Hello from the page\n';
    await page.setInputFiles('#import-file', { name: 'page.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#import-form button[type="submit"]').click();
    await page.locator('#import-summary .card').waitFor({ timeout: 30_000 });
    const text = await page.locator('#import-summary').innerText();
    await page.screenshot({ path: join(outDir, 'import-done-desktop.png'), fullPage: true });
    await watcher.waitForFunction(() => document.querySelectorAll('tbody tr').length > 0, null, { timeout: 20_000 }).catch(() => {});
    const after = await watcher.locator('tbody tr').count();
    summary.import = { summary: text, watcherBefore: before, watcherAfter: after };
    await page.close();
    await watcher.close();
  }

  await ctx.close();
  summary.consoleErrors = consoleErrors;
  summary.outsideRequests = outside;
  console.log(JSON.stringify(summary, null, 2));
} catch (err) {
  console.error(`could not drive the dashboard with ${executablePath}: ${err && err.stack ? err.stack : err}`);
  console.error(JSON.stringify({ partial: summary, consoleErrors, outside }, null, 2));
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
}
