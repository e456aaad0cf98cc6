// 1. A guest posts through the widget's form.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('a guest posts a comment: it is listed, counted, and still there after a reload', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED} Comments`, 'heading before');
  await h.countIs(h.topLevel(w), h.SEEDED, 'seeded comments listed');

  const body = `A guest's first comment, posted at ${Date.now()}.`;
  const form = w.locator('[data-r-form]').first();
  await form.getByLabel('Name', { exact: true }).fill('Gina Guest');
  await form.getByLabel('Comment', { exact: true }).fill(body);
  const posted = h.postedBy(page);
  await form.getByRole('button', { name: 'Post comment' }).click();
  const { comment } = await posted;

  const c = h.card(w, comment.id);
  await h.textIs(c.locator('[data-r-text]'), body, 'the new comment text');
  await h.textIs(c.locator('.r-author'), 'Gina Guest', 'its author');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'heading after');
  await h.countIs(h.topLevel(w), h.SEEDED + 1, 'comments listed after');
  // The form is ready for the next comment.
  assert.equal(await form.getByLabel('Comment', { exact: true }).inputValue(), '');
  assert.equal(await form.locator('[data-r-error]').isVisible(), false, 'no error shown');

  await page.reload();
  await h.widgetReady(page);
  await h.textIs(h.card(w, comment.id).locator('[data-r-text]'), body, 'the comment after reload');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'heading after reload');
});
