// 16. The moderation page: a moderator signs in, sees the demo's held comments with
// the policy's reasons, approves one, and the demo page shows one comment more;
// rejects another, finds it under "Rejected" and undoes the refusal; opens a
// held comment's author's view, bans the author for a day and lifts the ban.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The demo's reference comments that the default policy holds. */
const HELD = 3; // as crates/rostra/tests/api/html.rs records

async function axe(page, what) {
  // The page's CSP allows no script at all; evaluate is not subject to it.
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
  ));
  assert.deepEqual(r, [], `axe-core violations on ${what}`);
}

test('a moderator signs in, sees the held comments with their reasons and approves one', { timeout: h.TEST_MS }, async () => {
  assert.ok(h.MODERATOR.password, 'ROSTRA_E2E_MODERATOR_PASSWORD is set (browser.rs creates the moderator)');
  const page = await b.context.newPage();
  const r = await page.goto(`${h.BASE}/moderation`);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['cache-control'], 'no-store');
  await axe(page, 'the sign-in form');

  // A wrong password first: the form again, with an alert.
  await page.getByLabel('Name').fill(h.MODERATOR.name);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await h.textIs(page.getByRole('alert'), 'Wrong name or password.', 'the alert');

  await page.getByLabel('Password').fill(h.MODERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Queue: demo' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/moderation');
  const items = page.locator('.r-mod-item');
  await h.countIs(items, HELD, 'the demo holds three of its comments');
  for (let i = 0; i < HELD; i++) {
    const item = items.nth(i);
    assert.ok((await item.locator('.r-mod-reasons li').count()) >= 1, 'each shows a reason');
    assert.ok((await item.locator('.r-mod-score').count()) >= 1, 'each shows its scores');
  }
  assert.ok((await page.locator('.r-mod-reasons code', { hasText: 'toxicity' }).count()) >= 1, 'the model held them');
  assert.ok((await page.locator('.r-mod-term').count()) >= 1, 'the words that weighed most');
  await h.shot(page, 'moderation-queue');
  await axe(page, 'the queue');
  await page.emulateMedia({ colorScheme: 'dark' });
  await axe(page, 'the queue, dark');
  await page.emulateMedia({ colorScheme: 'light' });

  const first = items.first();
  const id = await first.getAttribute('data-id');
  const author = (await first.locator('.r-author').textContent()).trim();
  await first.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL((u) => u.pathname === '/moderation' && u.searchParams.get('ok') === '1');
  await h.textIs(page.getByRole('status'), 'Approved: 1', 'the status line');
  await h.countIs(items, HELD - 1, 'one fewer held');
  assert.equal(await page.locator(`#r-mod-${id}`).count(), 0, 'the approved one left the queue');
  await h.textIs(page.locator('.r-mod-audit li').first(), new RegExp(`${h.MODERATOR.name} Approve comment:${id}$`), 'the audit log');

  const demo = await b.context.newPage();
  const w = await h.openDemo(demo);
  await h.textIs(w.locator('[data-r-count-text]'), `${h.SEEDED + 1} Comments`, 'one more comment on the demo page');
  await h.eventually(`${author}'s comment is shown`, async () =>
    assert.equal(await w.locator(`#rostra-c-${id}`).count(), 1),
  );

  // A refusal is not final: reject a held one, find it under "Rejected",
  // approve it from there, and the demo page shows it.
  const next = items.first();
  const nextId = await next.getAttribute('data-id');
  await next.getByRole('button', { name: 'Reject' }).click();
  await page.waitForURL((u) => u.searchParams.get('action') === 'reject' && u.searchParams.get('ok') === '1');
  await h.countIs(items, HELD - 2, 'two fewer held');
  await page.getByRole('link', { name: 'Rejected', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('filter') === 'rejected');
  await h.countIs(items, 1, 'the rejected view lists the refusal');
  assert.equal(await items.first().getAttribute('data-id'), nextId);
  await h.textIs(items.first().locator('.r-mod-refused'), 'Rejected', 'its badge');
  await axe(page, 'the rejected view');
  await items.first().getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL((u) => u.searchParams.get('filter') === 'rejected' && u.searchParams.get('ok') === '1');
  await h.textIs(page.getByRole('status'), 'Approved: 1', 'undone');
  await h.countIs(items, 0, 'nothing left refused');
  const again = await h.openDemo(demo);
  await h.textIs(again.locator('[data-r-count-text]'), `${h.SEEDED + 2} Comments`, 'the restored comment counts');
  assert.equal(await again.locator(`#rostra-c-${nextId}`).count(), 1, 'the restored comment is shown');

  // A held comment from a reader (made-up insults, no real person): the
  // moderator bans its author for a day from the queue, then lifts the ban.
  // The demo nudges first; posted anyway, the comment is held.
  const posted = await fetch(`${h.BASE}/api/v1/sites/demo/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: h.PAGE,
      author: { name: 'Troll' },
      body: 'You are a pathetic idiot and a worthless moron, shut up.',
      acknowledge_nudge: true,
    }),
  });
  assert.equal(posted.status, 201);
  const troll = (await posted.json()).comment;
  assert.equal(troll.status, 'pending', 'the model holds it');
  await page.getByRole('link', { name: 'Held', exact: true }).click();
  const item = page.locator(`#r-mod-${troll.id}`);
  // The author's record links to all their comments; the ban is made there.
  await item.getByRole('link', { name: 'By this author' }).click();
  await page.waitForURL((u) => u.searchParams.get('by') === String(troll.id));
  await page.getByRole('heading', { name: `Every comment by the author of #${troll.id}` }).waitFor();
  await axe(page, "the author's view");
  await item.getByText('Ban the author').click();
  await item.getByLabel('For').selectOption({ label: '1 day' });
  await item.getByLabel('Reason (optional)').fill('insults');
  await axe(page, 'the queue with a ban form open');
  await h.shot(page, 'moderation-ban-form');
  await item.getByRole('button', { name: 'Ban', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('action') === 'ban' && u.searchParams.get('by') === String(troll.id));
  await h.textIs(page.getByRole('status'), 'Banned: 1', 'banned');
  const bans = page.locator('.r-mod-bans li');
  await h.countIs(bans, 1, 'one ban in force');
  assert.match(await bans.first().textContent(), /Address: .*until .* — insults/);
  const refused = await fetch(`${h.BASE}/api/v1/sites/demo/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: h.PAGE, author: { name: 'Troll' }, body: 'Back again.' }),
  });
  assert.equal(refused.status, 403, 'the banned author is refused');
  await bans.first().getByRole('button', { name: 'Lift' }).click();
  await page.waitForURL((u) => u.searchParams.get('action') === 'unban');
  await h.textIs(page.getByRole('status'), 'Bans lifted: 1', 'lifted');
  await h.countIs(bans, 0, 'no ban in force');
});
