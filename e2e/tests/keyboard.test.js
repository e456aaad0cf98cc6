// 9. Keyboard only: reach the form, write, post; focus always visible.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

/** Asserts that the focused element shows it: an outline or a box-shadow. */
function assertVisibleFocus(f, where) {
  assert.ok(f, `${where}: something has the focus`);
  const outlined = f.outlineStyle !== 'none' && f.outlineWidth > 0;
  const shadowed = f.boxShadow && f.boxShadow !== 'none';
  assert.ok(outlined || shadowed, `${where}: the focused ${f.tag}${f.name ? `[name=${f.name}]` : ''} "${f.text}" shows no focus ring (outline ${f.outlineStyle} ${f.outlineWidth}px, box-shadow ${f.boxShadow})`);
}

/** Presses Tab until `want(focus)` holds, checking each stop's focus ring; at most `max` presses. */
async function tabTo(page, want, what, max = 15) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await h.deepFocus(page);
    seen.push(f ? `${f.tag}${f.name ? `[name=${f.name}]` : ''} "${f.text}"` : 'nothing');
    assertVisibleFocus(f, `Tab stop ${i + 1} on the way to ${what}`);
    if (want(f)) return f;
  }
  assert.fail(`${what} not reached in ${max} Tab presses; the focus went to: ${seen.join(' → ')}`);
}

test('from the top, with the keyboard only: skip link, form, Enter posts; focus is visible', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  await page.evaluate(() => window.scrollTo(0, 0));

  await tabTo(page, (f) => f.tag === 'a' && f.text === 'Skip to the comments', 'the skip link to the comments', 5);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.hash === '#comments');

  const body = await tabTo(page, (f) => f.inForm && f.name === 'body', 'the comment field');
  assert.deepEqual(body.hosts, ['rostra-thread'], 'the field is in the widget');
  const text = `Typed with the keyboard only, ${Date.now()}.`;
  await page.keyboard.type(text);
  await tabTo(page, (f) => f.inForm && f.name === 'name', 'the name field', 3);
  await page.keyboard.type('Kim Keys');
  const submit = await tabTo(page, (f) => f.inForm && f.type === 'submit' && f.text !== 'Subscribe without commenting', 'the Post comment button', 12);
  assert.equal(submit.text, 'Post comment');

  const posted = h.postedBy(page);
  await page.keyboard.press('Enter');
  const { comment } = await posted;
  await h.textIs(h.card(w, comment.id).locator('[data-r-text]'), text, 'the comment typed with the keyboard');
  await h.textIs(h.card(w, comment.id).locator('.r-author'), 'Kim Keys', 'its author');
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'the heading');
});

test('Space on a focused button works too: Reply opens the form and Escape closes it', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const id = await h.topLevel(w).first().getAttribute('data-id');
  const reply = h.card(w, id).getByRole('button', { name: 'Reply', exact: true });
  await reply.focus();
  await page.keyboard.press('Space');
  await h.eventually('the reply form is open, its field focused', async () => {
    const f = await h.deepFocus(page);
    assert.ok(f.inForm && f.name === 'body', `focus on ${JSON.stringify(f)}`);
    assertVisibleFocus(f, 'the reply field');
  });
  assert.equal(await reply.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Escape');
  await h.eventually('Escape closed the reply form and gave the focus back', async () => {
    assert.equal(await reply.getAttribute('aria-expanded'), 'false');
    const f = await h.deepFocus(page);
    assert.equal(f.text, 'Reply');
  });
});
