// 6. Editing and deleting one's own comment within the edit window.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('the author edits and deletes a fresh comment; another browser gets no Edit/Delete', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const form = w.locator('[data-r-form]');
  const body = `Soon to be edited, ${Date.now()}.`;
  await form.getByLabel('Name', { exact: true }).fill('Edda Editor');
  await form.getByLabel('Comment', { exact: true }).fill(body);
  const posted = h.postedBy(page);
  await form.getByRole('button', { name: 'Post comment' }).click();
  const { comment } = await posted;
  const mine = h.card(w, comment.id);
  await h.textIs(mine.locator('[data-r-text]'), body, 'posted');

  const editBtn = mine.getByRole('button', { name: 'Edit', exact: true });
  const deleteBtn = mine.getByRole('button', { name: 'Delete', exact: true });
  await editBtn.waitFor({ state: 'visible' });
  await deleteBtn.waitFor({ state: 'visible' });
  // Nobody else's comment offers them.
  await h.countIs(w.locator('[data-r-action=edit]:visible'), 1, 'Edit only on the own comment');

  // Another browser (no localStorage, no token) sees the comment but no Edit/Delete.
  const other = await h.newContext(b);
  const page2 = await other.newPage();
  const w2 = await h.openDemo(page2);
  const theirs = h.card(w2, comment.id);
  await h.textIs(theirs.locator('[data-r-text]'), body, 'the other browser sees the comment');
  assert.equal(await theirs.locator('[data-r-action=edit]').isVisible(), false, 'no Edit for others');
  assert.equal(await theirs.locator('[data-r-action=delete]').isVisible(), false, 'no Delete for others');
  await h.countIs(w2.locator('[data-r-action=edit]:visible, [data-r-action=delete]:visible'), 0, 'no Edit/Delete anywhere');

  // Edit.
  await editBtn.click();
  const editor = mine.locator('[data-r-editor] textarea');
  await editor.waitFor({ state: 'visible' });
  assert.equal((await editor.inputValue()).trim(), body, 'the editor starts with the comment');
  const edited = `Edited: now with **bold** words, ${Date.now()}.`;
  await editor.fill(edited);
  await mine.getByRole('button', { name: 'Save', exact: true }).click();
  await h.textIs(mine.locator('[data-r-text]'), edited.replace(/\*\*/g, ''), 'the new text');
  await h.textIs(mine.locator('[data-r-text] strong'), 'bold', 'rendered Markdown');
  await h.textIs(mine.locator('[data-r-edited]'), 'edited', 'marked as edited');
  await h.countIs(mine.locator('[data-r-editor]'), 0, 'the editor closed');
  assert.equal(await editBtn.isVisible(), true, 'Edit still offered within the window');

  // The other browser, reloaded, sees the edit too, still without the buttons.
  await page2.reload();
  await h.widgetReady(page2);
  await h.textIs(theirs.locator('[data-r-edited]'), 'edited', 'the other browser sees the edit');
  assert.equal(await theirs.locator('[data-r-action=edit]').isVisible(), false, 'still no Edit for others');

  // Delete, accepting the confirmation.
  let asked = null;
  page.once('dialog', (d) => {
    asked = d.message();
    d.accept();
  });
  await deleteBtn.click();
  await h.eventually('the comment is gone or a tombstone', async () => {
    const left = await w.locator(`#rostra-c-${comment.id}`).count();
    if (left) assert.equal(await mine.locator('.r-tombstone').count(), 1);
  });
  assert.equal(asked, 'Delete this comment?', 'the confirmation asked');
  await h.countIs(w.getByText(edited.replace(/\*\*/g, '')), 0, 'its text is gone');

  await page.reload();
  await h.widgetReady(page);
  await h.countIs(w.locator(`#rostra-c-${comment.id}`), 0, 'gone after a reload (it had no replies)');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED} Comments`, 'the heading counts it no more');
});
