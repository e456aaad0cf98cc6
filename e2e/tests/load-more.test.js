// 5. Load more: past the demo site's page size (20), the rest comes on demand.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const PAGE_SIZE = 20;
const EXTRA = 25; // 9 shown + 25 = 34: one full page and 14 more

test('"Load more comments" appends the next page and disappears at the end', { timeout: h.TEST_MS }, async () => {
  const ids = [];
  for (let i = 1; i <= EXTRA; i++) {
    const r = await h.apiPost(`Bulk comment number ${i}.`, { name: `Bulk ${i}` });
    ids.push(String(r.comment.id));
  }
  const total = h.SEEDED + EXTRA;

  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  await h.textIs(w.locator('[data-r-count-text]'), `${total} Comments`, 'heading counts them all');
  await h.countIs(h.topLevel(w), PAGE_SIZE, 'the first page');
  const more = w.getByRole('link', { name: 'Load more comments' });
  await more.waitFor({ state: 'visible' });
  const firstPage = await h.topLevel(w).evaluateAll((lis) => lis.map((li) => li.dataset.id));

  await more.click();
  await h.countIs(h.topLevel(w), total, 'both pages');
  await h.countIs(more, 0, 'no more link at the end');
  const shown = await h.topLevel(w).evaluateAll((lis) => lis.map((li) => li.dataset.id));
  assert.deepEqual(shown.slice(0, PAGE_SIZE), firstPage, 'the first page stayed in place');
  assert.equal(new Set(shown).size, total, 'no comment twice');
  assert.deepEqual(shown.slice(-ids.length), ids, 'the bulk comments, oldest first, at the end');
  await h.textIs(h.card(w, ids[ids.length - 1]).locator('[data-r-text]'), `Bulk comment number ${EXTRA}.`, 'the last one');
  assert.equal(new URL(page.url()).pathname, '/', 'the page did not navigate');
});
