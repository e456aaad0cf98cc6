// 11. Accessibility: axe-core finds nothing on the demo page with the widget, light and dark.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { test } = require('node:test');
const h = require('../helpers');

const b = h.useBrowser();
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Waits for the widget, its styles and the bubble, then runs axe over the whole page. */
async function scan(page) {
  await h.openDemo(page);
  await page.locator('[data-rostra-bubble] .r-bubble').waitFor({ state: 'visible' });
  await page.waitForLoadState('networkidle').catch(() => {}); // the stream keeps a request open
  await h.eventually('every stylesheet applied, in shadow roots too', async () =>
    assert.equal(
      await page.evaluate(() => {
        const roots = [document, ...[...document.querySelectorAll('*')].filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
        return roots.flatMap((r) => [...r.querySelectorAll('link[rel=stylesheet]')]).filter((l) => !l.sheet).length;
      }),
      0,
    ),
  );
  // Let entrance animations end, so contrast is measured on what stays.
  await page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll('*')].filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
    const finite = roots.flatMap((r) => r.getAnimations()).filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    return Promise.race([Promise.all(finite.map((a) => a.finished.catch(() => {}))), new Promise((r) => setTimeout(r, 5_000))]);
  });
  // The page's CSP (script-src 'self') would block an injected <script>; evaluate is not subject to it.
  await page.evaluate(AXE);
  return page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }).then((r) => ({
    version: window.axe.version,
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
    })),
  })));
}

function report(scheme, r) {
  if (r.violations.length) {
    console.log(`axe-core ${r.version}, ${scheme}: ${r.violations.length} violation(s):\n${JSON.stringify(r.violations, null, 2)}`);
  }
  assert.deepEqual(
    r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} node(s): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
    [],
    `axe-core violations in ${scheme} (in full above)`,
  );
}

test('no axe-core violations on the demo page, light', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  report('light', await scan(page));
});

test('no axe-core violations on the demo page, dark', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  report('dark', await scan(page));
});

test('no axe-core violations on the no-JavaScript thread page', { timeout: h.TEST_MS }, async () => {
  const page = await b.context.newPage();
  await page.goto(`${h.BASE}/sites/demo/thread?url=${encodeURIComponent(h.PAGE)}`);
  await page.locator('[data-r-root]').waitFor();
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }).then((r) => ({
    version: window.axe.version,
    violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })) })),
  })));
  report('the thread page', r);
});
