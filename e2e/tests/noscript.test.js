// 8. Without JavaScript: the noscript link, the server-rendered thread, and its form.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser({ javaScriptEnabled: false });

test('without JavaScript the thread page lists the comments and its form posts', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const r = await page.goto(h.PAGE);
  assert.equal(r.status(), 200);
  const link = page.getByRole('link', { name: 'Read the comments without JavaScript' });
  await link.waitFor({ state: 'visible' });
  const href = await link.getAttribute('href');
  assert.equal(new URL(href, h.PAGE).pathname, '/sites/demo/thread');
  assert.equal(new URL(href, h.PAGE).searchParams.get('url'), h.PAGE);

  await link.click();
  await page.waitForURL((u) => u.pathname === '/sites/demo/thread');
  const thread = page.locator('[data-r-root]');
  await thread.waitFor({ state: 'visible' });
  await h.countIs(page.locator('[data-r-list] > [data-r-comment]'), h.SEEDED, 'the seeded comments, server-rendered');
  await h.textIs(page.locator('[data-r-count-text]'), `${h.SEEDED} Comments`, 'the heading');
  await h.textIs(page.locator('[data-r-list] > [data-r-comment] .r-author').nth(0), 'John', 'the first author shown');
  assert.equal(await page.getByRole('button', { name: 'Preview' }).isVisible(), false, 'no Preview without JavaScript');
  await h.shot(page, 'noscript-thread');

  const body = `Posted without JavaScript, ${Date.now()}.`;
  const form = page.locator('[data-r-form]');
  assert.equal(await form.getAttribute('method'), 'post');
  assert.equal(new URL(await form.getAttribute('action'), h.PAGE).pathname, '/sites/demo/post');
  await form.getByLabel('Name', { exact: true }).fill('Noah Noscript');
  await form.getByLabel('Comment', { exact: true }).fill(body);
  const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/sites/demo/post');
  await form.getByRole('button', { name: 'Post comment' }).click();
  const answer = await posted;
  assert.equal(answer.status(), 303, 'the post answers with a redirect');
  await page.waitForURL((u) => u.pathname === '/sites/demo/thread');
  await page.waitForLoadState();
  await h.eventually('the new comment on the page', async () =>
    assert.equal(await page.locator('[data-r-text]', { hasText: body }).count(), 1),
  );
  await h.textIs(page.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'the heading after');
  await h.countIs(page.locator('[data-r-list] > [data-r-comment]'), h.SEEDED + 1, 'one more comment');
  assert.equal(new URL(page.url()).searchParams.get('url'), h.PAGE, 'back on the same thread');
});
