// Screenshots of the demo page (artifacts to look at), with what each must show.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('light: the article and the widget', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  const w = await h.openDemo(page);
  await h.countIs(h.topLevel(w), h.SEEDED, 'the seeded comments');
  const bg = await w.locator('[data-r-root]').evaluate((s) => getComputedStyle(s.getRootNode().host).backgroundColor);
  assert.equal(bg, 'rgb(255, 255, 255)', 'a light widget');
  await h.shot(page, 'demo-light');
});

test('dark: the widget follows prefers-color-scheme', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  const w = await h.openDemo(page);
  const colors = await w.locator('[data-r-root]').evaluate((s) => {
    const c = getComputedStyle(s.getRootNode().host);
    return { bg: c.backgroundColor, fg: c.color, page: getComputedStyle(document.body).backgroundColor };
  });
  // The demo page sets --rostra-bg to its own background, as a publisher would.
  assert.equal(colors.bg, colors.page, 'the publisher\'s background, through --rostra-bg');
  assert.notEqual(colors.bg, 'rgb(255, 255, 255)', 'a dark widget');
  assert.equal(colors.fg, 'rgb(232, 234, 237)', 'light text');
  await h.shot(page, 'demo-dark');
});

test('mobile, 390 px: nothing wider than the screen', { timeout: h.TEST_MS }, async () => {
  const context = await h.newContext(b, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const w = await h.openDemo(page);
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    win: window.innerWidth,
  }));
  assert.ok(widths.doc <= widths.win, `no horizontal scrolling: ${JSON.stringify(widths)}`);
  const box = await w.locator('[data-r-form]').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the form fits: ${JSON.stringify(box)}`);
  const wide = await w.locator('[data-r-root]').evaluate((s) =>
    [...s.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(wide, [], 'no widget element past the right edge');
  await h.shot(page, 'demo-mobile-390');
});

test('the full-size image dialog opens, holds the focus, and closes with Escape', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await h.openDemo(page);
  const opener = page.locator('figcaption a[data-fullsize]');
  await opener.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.evaluate((d) => d.open), true);
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Close full-size image');
  await h.shot(page, 'demo-dialog-open');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await opener.evaluate((a) => a === document.activeElement), true, 'the focus went back');
});

test('vote buttons show ▲/▼ and the count; "Vote up"/"Vote down" are for screen readers only', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const id = await h.topLevel(w).first().getAttribute('data-id');
  // The accessible names are there…
  const up = h.card(w, id).getByRole('button', { name: /Vote up/ });
  const down = h.card(w, id).getByRole('button', { name: /Vote down/ });
  await up.waitFor();
  await down.waitFor();
  // …but not on screen: the labels take no visible room.
  const labels = await h.card(w, id).locator('[data-r-vote] .r-sr').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, width: r.width, height: r.height };
    }),
  );
  assert.equal(labels.length, 2);
  for (const l of labels) {
    assert.ok(l.width <= 1 && l.height <= 1, `"${l.text}" is visually hidden, yet ${l.width.toFixed(0)}×${l.height.toFixed(0)} px on screen`);
  }
});
