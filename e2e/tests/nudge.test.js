// 16. Moderation in the widget: an abusive comment is met with the site's
// nudge (the demo runs with `toxicity.nudge` on in these tests); posting it
// anyway holds it, and only its author sees it, awaiting moderation.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

// Made up for this test: insults, no slur.
const ABUSE = 'You are a pathetic idiot and a worthless moron, shut up.';

test('the nudge names the problem, "Post anyway" holds the comment for its author only', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const form = w.locator('[data-r-form]').first();
  await form.getByLabel('Name', { exact: true }).fill('Hasty Harry');
  await form.getByLabel('Comment', { exact: true }).fill(ABUSE);
  const nudged = page.waitForResponse((r) => r.url().endsWith('/comments') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Post comment' }).click();
  assert.equal((await nudged).status(), 422, 'the API answers with the nudge');

  const alert = form.locator('[data-r-error]');
  await h.eventually('the nudge is shown', async () => {
    assert.ok(await alert.isVisible());
    assert.match(await alert.textContent(), /guidelines/);
  });
  assert.equal(await form.getByLabel('Comment', { exact: true }).inputValue(), ABUSE, 'the text is kept');
  const anyway = form.getByRole('button', { name: 'Post anyway' });
  await anyway.waitFor({ state: 'visible' });
  await h.countIs(h.topLevel(w), h.SEEDED, 'nothing was posted');

  const posted = h.postedBy(page);
  await anyway.click();
  const { comment } = await posted;
  assert.equal(comment.status, 'pending', 'posted anyway: held');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED} Comments`, 'not counted');
  const c = h.card(w, comment.id);
  await h.eventually('the author sees it, awaiting moderation', async () =>
    assert.match(await c.textContent(), /Awaiting moderation/),
  );
  await h.shot(page, 'nudge-held');

  // Another reader sees neither the comment nor a change in the count.
  const other = await h.newContext(b);
  const p2 = await other.newPage();
  const w2 = await h.openDemo(p2);
  await h.countIs(h.topLevel(w2), h.SEEDED, 'the other reader sees the seeded comments only');
  assert.equal(await w2.locator(`#rostra-c-${comment.id}`).count(), 0, 'not the held one');
  await other.close();
});
