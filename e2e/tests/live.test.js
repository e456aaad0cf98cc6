// 7. Live updates: a comment posted in one browser is announced in another.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

/** Opens the demo page and waits until its live stream answered. */
async function openLive(page) {
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/sites/demo/stream');
  const w = await h.openDemo(page);
  const r = await stream;
  assert.equal(r.status(), 200, `GET /api/v1/sites/demo/stream answered ${r.status()}`);
  assert.match(r.headers()['content-type'] || '', /^text\/event-stream/, 'the stream is text/event-stream');
  return w;
}

test('a comment posted in A shows in B as a "1 new comment — show" banner, then on click', { timeout: h.TEST_MS }, async () => {
  const pageA = await b.context.newPage();
  const contextB = await h.newContext(b);
  const pageB = await contextB.newPage();
  const wA = await openLive(pageA);
  const wB = await openLive(pageB);
  const banner = wB.locator('[data-r-new]');
  assert.equal(await banner.isVisible(), false, 'no banner at first');

  const body = `Live from browser A, ${Date.now()}.`;
  const form = wA.locator('[data-r-form]');
  await form.getByLabel('Name', { exact: true }).fill('Alex Live');
  await form.getByLabel('Comment', { exact: true }).fill(body);
  const posted = h.postedBy(pageA);
  await form.getByRole('button', { name: 'Post comment' }).click();
  const { comment } = await posted;
  await h.textIs(h.card(wA, comment.id).locator('[data-r-text]'), body, 'A shows its own comment');

  // B: the banner, the count, but not the comment itself yet.
  const show = banner.getByRole('button');
  await show.waitFor({ state: 'visible' });
  await h.textIs(show, '1 new comment — show', "B's banner");
  await h.textIs(wB.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, "B's heading follows");
  assert.equal(await wB.locator(`#rostra-c-${comment.id}`).count(), 0, 'B did not insert it by itself');
  await h.countIs(h.topLevel(wB), h.SEEDED, "B's list unchanged");
  await h.shot(pageB, 'live-new-comments-banner');

  await show.click();
  await h.textIs(h.card(wB, comment.id).locator('[data-r-text]'), body, 'B shows it after the click');
  await h.eventually('the banner went away', async () => assert.equal(await banner.isVisible(), false));
  await h.countIs(h.topLevel(wB), h.SEEDED + 1, "B's list grew by one");
  await h.textIs(wB.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, "B's heading after showing it");

  // A never announces its own comment to itself (it is already shown there).
  await h.countIs(h.topLevel(wA), h.SEEDED + 1, "A's list: its comment once");
  const bannerA = await wA.locator('[data-r-new]').evaluate((n) => (n.hidden ? null : n.textContent.trim()));
  assert.equal(bannerA, null, "A shows no banner for its own comment");
});
