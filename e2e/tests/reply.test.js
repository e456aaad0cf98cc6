// 2. Replying to a seeded comment: the form moves under it, the reply nests.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('Reply moves the form under the comment and the reply appears nested under it', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const target = h.topLevel(w).nth(2); // Ingo Adam's comment
  const id = await target.getAttribute('data-id');
  const form = w.locator('[data-r-form]');
  await h.countIs(form, 1, 'one comment form');
  // At rest the form is not inside any comment.
  assert.equal(await form.evaluate((f) => !!f.closest('[data-r-comment]')), false);

  const replyBtn = h.card(w, id).getByRole('button', { name: 'Reply', exact: true });
  await replyBtn.click();
  await h.eventually('the form is under the comment', async () => {
    const where = await form.evaluate((f) => (f.closest('[data-r-comment]') || {}).id);
    assert.equal(where, `rostra-c-${id}`);
  });
  assert.equal(await replyBtn.getAttribute('aria-expanded'), 'true');
  assert.equal(await form.locator('input[name=parent]').inputValue(), id);
  await form.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'visible' });
  await form.scrollIntoViewIfNeeded();
  await h.shot(page, 'reply-form-open');

  const body = `Replying to comment ${id} at ${Date.now()}.`;
  await form.getByLabel('Name', { exact: true }).fill('Rhea Replier');
  await form.getByLabel('Comment', { exact: true }).fill(body);
  const posted = h.postedBy(page);
  await form.getByRole('button', { name: 'Post comment' }).click();
  const { comment } = await posted;
  assert.equal(String(comment.parent), id, 'the API got the parent');

  const reply = w.locator(`#rostra-c-${id} > [data-r-replies] > #rostra-c-${comment.id}`);
  await h.textIs(reply.locator(':scope > article [data-r-text]'), body, 'the reply, nested under its parent');
  await h.countIs(h.topLevel(w), h.SEEDED, 'no new top-level comment');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'heading counts the reply');
  // The form went back home after posting the reply.
  await h.eventually('the form is back at the top', async () => {
    assert.equal(await form.evaluate((f) => !!f.closest('[data-r-comment]')), false);
  });
  assert.equal(await replyBtn.getAttribute('aria-expanded'), 'false');

  // And the server keeps it there.
  await page.reload();
  await h.widgetReady(page);
  await h.textIs(
    w.locator(`#rostra-c-${id} > [data-r-replies] > #rostra-c-${comment.id} > article [data-r-text]`),
    body,
    'the reply after a reload',
  );
});
