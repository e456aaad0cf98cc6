// 13. The counts script on a listing page: numbers filled in with one request.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();

test('data-rostra-count links get their numbers with one request', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  const other = `${h.BASE}/articles/without-comments`;
  const listing = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Listing</title></head><body>
<main><h1>Latest articles</h1><ul>
<li><a href="/">The demo article</a> (<a id="a" href="/#comments" data-rostra-count="${h.PAGE}">…</a>)</li>
<li><a href="/">The demo article again</a> (<span id="b" data-rostra-count="${h.PAGE}" data-rostra-count-label='{"one":"{n} reply","other":"{n} replies"}'>…</span>)</li>
<li><a href="${other}">Another article</a> (<a id="c" href="${other}#comments" data-rostra-count="${other}">…</a>)</li>
</ul></main>
<script src="/embed.js" data-site="demo" async></script>
</body></html>`;
  await page.route(`${h.BASE}/counts-test.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: listing }),
  );
  const requests = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(`${r.method()} ${r.url()}`);
  });

  await page.goto(`${h.BASE}/counts-test.html`);
  await h.textIs(page.locator('#a'), String(h.SEEDED), 'the demo page count');
  await h.textIs(page.locator('#b'), `${h.SEEDED} replies`, 'the count with a label');
  await h.textIs(page.locator('#c'), '0', 'a page without comments');
  await page.waitForLoadState('networkidle');
  assert.equal(requests.length, 1, `one API request: ${requests.join(', ')}`);
  assert.match(requests[0], /\/api\/v1\/sites\/demo\/counts/);
  assert.equal(await page.locator('#rostra-thread').count(), 0, 'no thread here');
  assert.equal(await page.locator('[data-rostra-bubble]').count(), 0, 'no bubble on a listing page');
});
