// 3. Voting a comment up, keeping the vote over a reload, and taking it back.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('▲ counts a vote, presses the button, survives a reload, and a second click takes it back', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const id = await h.topLevel(w).nth(1).getAttribute('data-id');
  const up = h.card(w, id).locator('[data-r-vote="1"]');
  const upCount = up.locator('[data-r-up]');
  const before = Number(await upCount.textContent());
  assert.equal(await up.getAttribute('aria-pressed'), 'false');
  assert.match(await up.textContent(), /▲/);

  await up.click();
  await h.textIs(upCount, String(before + 1), 'up count after the vote');
  await h.eventually('▲ is pressed', async () => assert.equal(await up.getAttribute('aria-pressed'), 'true'));
  assert.equal(await h.card(w, id).locator('[data-r-vote="-1"]').getAttribute('aria-pressed'), 'false');
  // The server has it.
  const api = (await h.apiThread()).comments.find((c) => String(c.id) === id);
  assert.equal(api.upvotes, before + 1, 'the API counts the vote');

  await page.reload();
  await h.widgetReady(page);
  await h.textIs(upCount, String(before + 1), 'up count after a reload');
  await h.eventually('▲ still pressed after a reload', async () => assert.equal(await up.getAttribute('aria-pressed'), 'true'));

  await up.click();
  await h.textIs(upCount, String(before), 'up count after taking the vote back');
  await h.eventually('▲ no longer pressed', async () => assert.equal(await up.getAttribute('aria-pressed'), 'false'));
  const after = (await h.apiThread()).comments.find((c) => String(c.id) === id);
  assert.equal(after.upvotes, before, 'the API no longer counts it');
});
