// 10. Permalinks: /#rostra-c-ID scrolls to the comment and highlights it.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser({ reducedMotion: 'reduce' });

/** Whether the comment is on screen and outlined (the highlight). */
async function assertShown(page, w, id) {
  await h.eventually(`comment ${id} is scrolled into view and highlighted`, async () => {
    const box = await h.comment(w, id).boundingBox();
    assert.ok(box, 'it is rendered');
    const vp = page.viewportSize();
    assert.ok(box.y < vp.height && box.y + Math.min(box.height, 100) > 0, `on screen (top ${box.y}, viewport ${vp.height})`);
    const outline = await h.comment(w, id).evaluate((li) => {
      const s = getComputedStyle(li);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, color: s.outlineColor };
    });
    assert.ok(outline.style !== 'none' && outline.width > 0, `outlined: ${JSON.stringify(outline)}`);
    assert.notEqual(outline.color, 'rgba(0, 0, 0, 0)', 'the outline is not transparent');
  }, 3_500); // the highlight lasts 4 s
}

test('/#rostra-c-ID scrolls the comment into view and highlights it', { timeout: h.TEST_MS }, async () => {
  const seeded = (await h.apiThread()).comments.map((c) => String(c.id));
  const id = seeded[seeded.length - 2];
  const page = await b.context.newPage();
  const w = await h.openDemo(page, `#rostra-c-${id}`);
  await assertShown(page, w, id);
  // Only that one.
  const outlined = await h.topLevel(w).evaluateAll((lis) =>
    lis.filter((li) => getComputedStyle(li).outlineStyle !== 'none').map((li) => li.dataset.id),
  );
  assert.deepEqual(outlined, [id]);
  assert.ok((await page.evaluate(() => window.scrollY)) > 500, 'the page scrolled down to it');
});

test('a permalink to a comment past the first page shows its page and "View all comments"', { timeout: h.TEST_MS }, async () => {
  let last;
  for (let i = 1; i <= 24; i++) last = (await h.apiPost(`Permalink filler ${i}.`)).comment;
  const page = await b.context.newPage();
  const w = await h.openDemo(page, `#rostra-c-${last.id}`);
  await assertShown(page, w, String(last.id));
  await h.textIs(h.card(w, last.id).locator('[data-r-text]'), 'Permalink filler 24.', 'its text');
  const all = w.getByRole('link', { name: 'View all comments' });
  await all.waitFor({ state: 'visible' });
  await all.click();
  await h.eventually('the first page again', async () =>
    assert.equal(await h.topLevel(w).first().getAttribute('data-id'), seeded0(await h.apiThread())),
  );
  await h.countIs(all, 0, '"View all comments" gone');
});

const seeded0 = (t) => String(t.comments[0].id);
