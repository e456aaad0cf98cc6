// 4. Sorting: Newest and Most Voted reorder the list; aria-current follows.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

const firstId = async (w) => h.topLevel(w).first().getAttribute('data-id');
const current = (w) => w.locator('[data-r-sort][aria-current="true"]');

test('Newest puts the latest comment first, Most Voted the voted one; aria-current moves', { timeout: h.TEST_MS }, async () => {
  // This test's own data: a comment newer than the seeded ones, and votes on a middle one.
  const { comment: latest } = await h.apiPost(`The latest comment, ${Date.now()}.`);
  const seeded = (await h.apiThread()).comments.map((c) => String(c.id));
  const voted = seeded[6];
  await h.apiVote(voted, 'e2e-sort-voter-aaaaaaaaaaaaaaaa');
  await h.apiVote(voted, 'e2e-sort-voter-bbbbbbbbbbbbbbbb');

  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  await h.textIs(current(w), 'Oldest', 'Oldest is the sort at first');
  assert.equal(await firstId(w), seeded[0], 'oldest first');
  await h.countIs(current(w), 1, 'one current sort');

  await w.getByRole('link', { name: 'Newest', exact: true }).click();
  await h.eventually('Newest puts the latest first', async () => assert.equal(await firstId(w), String(latest.id)));
  await h.textIs(current(w), 'Newest', 'aria-current on Newest');
  await h.countIs(current(w), 1, 'one current sort');
  const newest = await h.topLevel(w).evaluateAll((lis) => lis.map((li) => +li.dataset.created));
  assert.deepEqual(newest, [...newest].sort((a, b) => b - a), 'newest first all the way down');
  assert.equal(new URL(page.url()).pathname, '/', 'the page did not navigate');

  await w.getByRole('link', { name: 'Most Voted', exact: true }).click();
  await h.eventually('Most Voted puts the voted comment first', async () => assert.equal(await firstId(w), voted));
  await h.textIs(current(w), 'Most Voted', 'aria-current on Most Voted');
  await h.countIs(current(w), 1, 'one current sort');
  await h.textIs(h.card(w, voted).locator('[data-r-up]'), '2', 'its two votes');

  await w.getByRole('link', { name: 'Oldest', exact: true }).click();
  await h.eventually('Oldest again', async () => assert.equal(await firstId(w), seeded[0]));
  await h.textIs(current(w), 'Oldest', 'aria-current back on Oldest');
});
