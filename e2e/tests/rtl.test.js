// 12. Languages: Arabic right to left, and the page's own language.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const AR_SEEDED = `${h.SEEDED} تعليقات`; // Arabic plural "few" (3 to 10)

/** Serves the demo page with `edit` applied to its HTML (headers, CSP included, kept). */
async function demoEdited(page, edit) {
  await page.route(h.PAGE, async (route) => {
    const r = await route.fetch();
    const html = await r.text();
    const changed = edit(html);
    assert.notEqual(changed, html, 'the edit applied');
    await route.fulfill({ response: r, body: changed });
  });
}

test('the thread page with lang=ar is right to left, in Arabic', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.goto(`${h.BASE}/sites/demo/thread?url=${encodeURIComponent(h.PAGE)}&lang=ar`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  const sec = page.locator('[data-r-root]');
  assert.equal(await sec.getAttribute('dir'), 'rtl');
  await h.textIs(page.locator('[data-r-count-text]'), AR_SEEDED, 'the Arabic heading');
  assert.equal(await sec.evaluate((s) => getComputedStyle(s).direction), 'rtl');
  await h.textIs(page.locator('[data-r-form] .r-actions [type=submit]'), 'نشر التعليق', 'the Arabic post button');
});

test('the widget with data-lang="ar" is right to left, in Arabic', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await demoEdited(page, (html) => html.replace('<div id="rostra-thread">', '<div id="rostra-thread" data-lang="ar">'));
  const w = await h.openDemo(page);
  const sec = w.locator('[data-r-root]');
  assert.equal(await sec.getAttribute('dir'), 'rtl');
  assert.equal(await sec.getAttribute('lang'), 'ar');
  await h.textIs(w.locator('[data-r-count-text]'), AR_SEEDED, 'the Arabic heading');
  assert.equal(await sec.evaluate((s) => getComputedStyle(s).direction), 'rtl');
  await h.textIs(w.locator('[data-r-form] .r-actions [type=submit]'), 'نشر التعليق', 'the Arabic post button');
  await h.textIs(h.topLevel(w).first().locator(':scope > article [data-r-action=reply]'), 'رد', 'Reply in Arabic');
  // The form sits on the right: its text field starts at the right edge.
  const ta = w.locator('[data-r-form] textarea');
  assert.equal(await ta.evaluate((t) => getComputedStyle(t).direction), 'rtl');
  await h.textIs(page.locator('[data-rostra-bubble] .r-bub-t'), 'يسعدنا أن نسمع رأيك، شاركنا بتعليق.', 'the Arabic bubble');
  await h.shot(page, 'widget-rtl-ar');
});

test("the widget follows the page's own <html lang=de>", { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await demoEdited(page, (html) => html.replace('<html lang="en">', '<html lang="de">'));
  const w = await h.openDemo(page);
  assert.equal(await w.locator('[data-r-root]').getAttribute('lang'), 'de');
  assert.equal(await w.locator('[data-r-root]').getAttribute('dir'), 'ltr');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED} Kommentare`, 'the German heading');
});

test('in an Arabic thread, an English comment still reads left to right', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await demoEdited(page, (html) => html.replace('<div id="rostra-thread">', '<div id="rostra-thread" data-lang="ar">'));
  const w = await h.openDemo(page);
  const id = await h.topLevel(w).nth(0).getAttribute('data-id'); // John: "They don’t get it." (the first shown)
  const text = h.card(w, id).locator('[data-r-text]');
  await h.textIs(text, 'They don’t get it.', "John's comment");
  // Readers' text is isolated from the thread's direction (dir="auto"), so
  // its full stop stays at its end instead of jumping to the left.
  assert.equal(await text.evaluate((t) => getComputedStyle(t).direction), 'ltr', 'the English text runs left to right');
});
