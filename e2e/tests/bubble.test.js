// 14. The bubble: an invitation with the live count; it leads to the form and can be dismissed for good.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const bubble = (page) => page.locator('[data-rostra-bubble] .r-bubble');

test('the bubble invites, leads to the form, and stays away once dismissed', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  await bubble(page).waitFor({ state: 'visible' });
  const count = (await h.apiThread()).thread.count;
  await h.textIs(bubble(page).locator('.r-bub-n'), String(count), 'the count in the bubble');
  await h.textIs(w.locator('[data-r-count-text]'), `${count} Comments`, 'the same as the heading');
  await h.textIs(bubble(page).locator('.r-bub-t'), 'Would love your thoughts, please comment.', 'the invitation');

  await bubble(page).getByRole('button', { name: /Would love your thoughts/ }).click();
  await h.eventually('the form is on screen and has the focus', async () => {
    const f = await h.deepFocus(page);
    assert.ok(f && f.inForm, `focus in the form: ${JSON.stringify(f)}`);
    const box = await w.locator('[data-r-form]').boundingBox();
    const vp = page.viewportSize();
    assert.ok(box.y < vp.height && box.y + box.height > 0, `form on screen (top ${box.y})`);
  });
  assert.equal((await h.deepFocus(page)).name, 'name', 'the empty name field first');
  // Out of the way while the thread is on screen.
  await h.eventually('the bubble hides over the thread', async () => assert.equal(await bubble(page).isVisible(), false));

  await page.evaluate(() => window.scrollTo(0, 0));
  await bubble(page).waitFor({ state: 'visible' });
  await bubble(page).getByRole('button', { name: 'Dismiss' }).click();
  await h.countIs(page.locator('[data-rostra-bubble]'), 0, 'dismissed');

  await page.reload();
  await h.widgetReady(page);
  await page.waitForLoadState('networkidle').catch(() => {});
  await h.countIs(page.locator('[data-rostra-bubble]'), 0, 'still dismissed after a reload');
});

test("the bubble's count follows the thread live", { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/sites/demo/stream');
  await h.openDemo(page);
  await bubble(page).waitFor({ state: 'visible' });
  assert.equal((await stream).status(), 200, 'the live stream answered');
  const before = Number(await bubble(page).locator('.r-bub-n').textContent());
  await h.apiPost('Posted elsewhere while the bubble is up.');
  await h.textIs(bubble(page).locator('.r-bub-n'), String(before + 1), 'the bubble counts it');
});
