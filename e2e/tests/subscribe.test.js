// 18. E-mail subscriptions from the demo page: Subscribe without commenting,
// confirm by the mailed link, hear of a new comment, open the manage page,
// unsubscribe; and "Notify of" while commenting. The demo mails into files
// (`[mail] transport = "files"`); this test reads them as a mail client would.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const MAIL_DIR = process.env.ROSTRA_E2E_MAIL_DIR || '';

/** The decoded text/plain part of a raw message. */
function textPart(raw) {
  const m = /boundary="?([^";\r\n]+)"?/i.exec(raw);
  const parts = m ? raw.split('--' + m[1]) : [raw];
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const head = part.slice(0, split);
    if (!/content-type:\s*text\/plain/i.test(head)) continue;
    const body = part.slice(split).trim();
    const cte = (/content-transfer-encoding:\s*(\S+)/i.exec(head) || [])[1] || '7bit';
    if (/base64/i.test(cte)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/quoted-printable/i.test(cte)) {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, x) => String.fromCharCode(parseInt(x, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }
  return '';
}

/** Messages to `to` so far: [{ raw, text }], oldest first. */
function mailTo(to) {
  if (!fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => {
      const file = path.join(MAIL_DIR, f);
      return { raw: fs.readFileSync(file, 'utf8'), at: fs.statSync(file).mtimeMs };
    })
    .filter((m) => new RegExp('^To: .*' + to.replace('.', '\\.'), 'mi').test(m.raw))
    .sort((a, b) => a.at - b.at)
    .map((m) => ({ raw: m.raw, text: textPart(m.raw) }));
}

async function nthMail(to, n) {
  let got;
  await h.eventually(`message ${n} to ${to}`, async () => {
    got = mailTo(to);
    assert.ok(got.length >= n, `${got.length} messages to ${to}`);
  });
  return got[n - 1];
}

function linkIn(text, pathPart) {
  const m = new RegExp(`https?://\\S+${pathPart}\\?t=\\S+`).exec(text);
  assert.ok(m, `a ${pathPart} link in:\n${text}`);
  return m[0];
}

test('subscribe from the demo page, confirm, hear of a comment, unsubscribe', { timeout: h.TEST_MS }, async () => {
  assert.ok(MAIL_DIR, 'ROSTRA_E2E_MAIL_DIR names the demo mail folder');
  const reader = `reader${Date.now()}@example.org`;
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const form = w.locator('[data-r-form]').first();
  await form.getByLabel(/^E-mail/).fill(reader);
  const asked = page.waitForResponse((r) => r.url().endsWith('/subscriptions') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Subscribe without commenting' }).click();
  assert.equal((await asked).status(), 202);
  await h.eventually('the widget says to check the inbox', async () =>
    assert.match(await form.locator('[data-r-error]').textContent(), /confirm/),
  );

  const request = await nthMail(reader, 1);
  assert.match(request.raw, /^Subject: .*Confirm/m);
  const confirmed = await b.context.newPage();
  await confirmed.goto(linkIn(request.text, '/subscriptions/confirm'));
  await h.eventually('the address is confirmed', async () =>
    assert.match(await confirmed.locator('body').textContent(), /confirmed/),
  );

  // Someone else comments: the reader hears of it.
  const other = await h.newContext(b);
  const p2 = await other.newPage();
  const w2 = await h.openDemo(p2);
  const f2 = w2.locator('[data-r-form]').first();
  await f2.getByLabel('Name', { exact: true }).fill('Sam Sender');
  const body = `A follow-up for subscribers, ${Date.now()}.`;
  await f2.getByLabel('Comment', { exact: true }).fill(body);
  const posted = h.postedBy(p2);
  await f2.getByRole('button', { name: 'Post comment' }).click();
  const { comment } = await posted;
  const news = await nthMail(reader, 2);
  assert.ok(news.text.includes(body), news.text);
  assert.ok(news.text.includes(`#rostra-c-${comment.id}`), 'the message links to the comment');
  assert.match(news.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

  // The manage page lists the subscription; the unsubscribe link asks, then removes it.
  const manage = await b.context.newPage();
  await manage.goto(linkIn(news.text, '/subscriptions/manage'));
  assert.match(await manage.locator('main').textContent(), /every new comment/);
  const leave = await b.context.newPage();
  await leave.goto(linkIn(news.text, '/subscriptions/unsubscribe'));
  assert.match(await leave.locator('main').textContent(), /Stop these messages/);
  await leave.getByRole('button', { name: 'Unsubscribe' }).click();
  await h.eventually('unsubscribed', async () =>
    assert.match(await leave.locator('main').textContent(), /You are unsubscribed/),
  );
  await h.shot(leave, 'subscriptions-unsubscribed');
  await other.close();
});

test('"Notify of" while commenting asks the author to confirm their address', { timeout: h.TEST_MS }, async () => {
  const author = `author${Date.now()}@example.org`;
  const page = await b.context.newPage();
  const w = await h.openDemo(page);
  const form = w.locator('[data-r-form]').first();
  await form.getByLabel('Name', { exact: true }).fill('Nora Notify');
  await form.getByLabel(/^E-mail/).fill(author);
  await form.getByLabel('Notify of', { exact: true }).selectOption('replies');
  await form.getByLabel('Comment', { exact: true }).fill(`Tell me of replies, ${Date.now()}.`);
  const posted = h.postedBy(page);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await posted;
  const request = await nthMail(author, 1);
  assert.match(request.text, /subscriptions\/confirm\?t=/);
});
