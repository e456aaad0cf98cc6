// 18. The donation campaign: the demo's bar, drawn by the widget in the reader's
// time zone, moves live when a signed webhook records a donation.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { test } = require('node:test');
const h = require('../helpers');

// A reader in New York: the demo campaign ends at midnight UTC, 19:00 or
// 20:00 there, so its countdown names a date, not "the end of" the month.
const b = h.useBrowser({ timezoneId: 'America/New_York', locale: 'en-US' });
const CAMPAIGN = `${h.API}/campaigns/southfront`;

/** The generic webhook's secret, read by the demo's owner over the API. */
async function webhookSecret() {
  const login = await fetch(`${h.BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: h.MODERATOR.name, password: h.MODERATOR.password }),
  });
  assert.equal(login.status, 200, 'the owner signs in');
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const r = await fetch(`${h.API}/campaigns`, { headers: { cookie } });
  const text = await r.text();
  assert.equal(r.status, 200, `GET /campaigns: ${text}`);
  const c = JSON.parse(text).campaigns.find((c) => c.slug === 'southfront');
  assert.ok(c && c.webhook_secret, 'the demo campaign has a webhook secret');
  return c.webhook_secret;
}

/** Sends `event` to the generic webhook, signed as bench/campaign_webhook.sh does. */
async function signedWebhook(secret, event) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  const r = await fetch(`${CAMPAIGN}/webhooks/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-rostra-signature': `t=${t},v1=${v1}` },
    body,
  });
  const text = await r.text();
  assert.equal(r.status, 200, `the webhook: ${text}`);
  return JSON.parse(text);
}

/** What the widget's bar shows (in its shadow root). */
function bar(page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-rostra-campaign]').shadowRoot;
    const p = root && root.querySelector('[data-r-campaign] progress[data-r-bar]');
    if (!p) return null;
    const text = (s) => root.querySelector(s).textContent.trim();
    return {
      value: p.value,
      max: p.max,
      valuetext: p.getAttribute('aria-valuetext'),
      raised: text('[data-r-raised]'),
      next: text('[data-r-next]'),
      countdown: text('[data-r-countdown]'),
      said: root.querySelector('[aria-live]').textContent.trim(),
      placed: root.querySelectorAll('.rc-abs [data-at]').length,
      // Where the 2,500 tick's centre sits along the ticks, 0 to 1.
      middle: (() => {
        const list = root.querySelector('.rc-ticks').getBoundingClientRect();
        const tick = root.querySelectorAll('[data-at]')[1].getBoundingClientRect();
        return (tick.left + tick.width / 2 - list.left) / list.width;
      })(),
      reached: root.querySelectorAll('.rc-reached').length,
    };
  });
}

/** The countdown a reader here should see, from the bar's end instant. */
function expectedCountdown(page) {
  return page.evaluate(() => {
    const ends = +document.querySelector('[data-rostra-campaign]').shadowRoot.querySelector('[data-ends]').dataset.ends;
    const day = (d) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 864e5;
    const last = new Date(ends - 1);
    const days = day(last) - day(new Date());
    if (days <= 0) return 'Last day';
    const until = `${last.toLocaleString('en-US', { month: 'long' })} ${last.getDate()}`;
    return `${days} ${days == 1 ? 'day' : 'days'} left until ${until}`;
  });
}

test('the bar shows the reader\'s countdown and moves live when a webhook records a donation', { timeout: h.TEST_MS }, async () => {
  const secret = await webhookSecret();
  const page = await b.context.newPage();
  const cspErrors = [];
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && cspErrors.push(m.text()));
  const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/sites/demo/campaigns/southfront/stream');
  await h.openDemo(page);
  const s = await stream;
  assert.equal(s.status(), 200);
  assert.match(s.headers()['content-type'] || '', /^text\/event-stream/);

  await h.eventually('the widget drew the bar', async () => {
    const now = await bar(page);
    assert.ok(now, 'a bar in the shadow root');
    assert.equal(now.value, 140000);
  });
  const before = await bar(page);
  assert.equal(before.max, 500000);
  assert.equal(before.raised, '$1,400');
  assert.equal(before.valuetext, '$1,400 of $5,000');
  assert.equal(before.next, 'Next milestone: $2,500');
  assert.equal(before.placed, 3, 'the three ticks are placed at their share of the goal');
  assert.ok(Math.abs(before.middle - 0.5) < 0.01, `the 2,500 $ tick sits half way: ${before.middle}`);
  assert.equal(before.reached, 1, 'only the 0 tick is reached');
  assert.equal(before.countdown, await expectedCountdown(page), "the countdown in the reader's time zone");
  assert.doesNotMatch(before.countdown, /the end of/, 'in New York the end falls before midnight');

  const got = await signedWebhook(secret, { id: `e2e-${Date.now()}`, type: 'donation', amount: 250000, currency: 'USD' });
  assert.equal(got.outcome, 'recorded');
  assert.equal(got.raised, 390000);
  await h.eventually('the bar moved without a reload', async () => {
    const now = await bar(page);
    assert.equal(now && now.value, 390000);
    assert.equal(now.raised, '$3,900');
    assert.equal(now.next, 'Next milestone: $5,000');
    assert.equal(now.reached, 2, 'the 2,500 tick is reached');
    assert.match(now.said, /\$3,900/, 'the new total is announced to screen readers');
    assert.ok(Math.abs(now.middle - 0.5) < 0.01, `the redrawn bar's ticks are placed too: ${now.middle}`);
  });
  assert.deepEqual(cspErrors, [], 'no style the CSP refuses');
  await h.shot(page, 'campaign-live');
});
