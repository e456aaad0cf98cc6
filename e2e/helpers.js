// Shared by the end-to-end tests: the server under test, the browser, and
// small waiting helpers (playwright-core has no `expect`, so assertions that
// need to wait for the page poll until they pass or time out).
//
// Environment (crates/rostra/tests/browser.rs sets all of them):
//   ROSTRA_E2E_BASE       the server, e.g. http://127.0.0.1:41234 (required)
//   ROSTRA_E2E_ARTIFACTS  where screenshots go (default: ../target/e2e-artifacts)
//   ROSTRA_E2E_CHROMIUM   the browser (default: /usr/bin/chromium, Debian's)
//   ROSTRA_E2E_MODERATOR, ROSTRA_E2E_MODERATOR_PASSWORD
//                         a moderator of the demo site (browser.rs creates one per file)
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { before, after, beforeEach, afterEach } = require('node:test');
const { chromium } = require('playwright-core');

const BASE = (process.env.ROSTRA_E2E_BASE || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error(
    'ROSTRA_E2E_BASE is not set: these tests run against a Rostra server, e.g. ' +
      'ROSTRA_E2E_BASE=http://127.0.0.1:8080 node --test e2e/tests/post.test.js (cargo test -p rostra --test browser sets it; see e2e/README.md)',
  );
}
/** The demo page's canonical URL: its thread is keyed by it. */
const PAGE = BASE + '/';
const API = BASE + '/api/v1/sites/demo';
const ARTIFACTS = process.env.ROSTRA_E2E_ARTIFACTS || path.join(__dirname, '..', 'target', 'e2e-artifacts');
/** A moderator of the demo site, for the moderation page. */
const MODERATOR = {
  name: process.env.ROSTRA_E2E_MODERATOR || 'alice',
  password: process.env.ROSTRA_E2E_MODERATOR_PASSWORD || '',
};
const CHROMIUM = process.env.ROSTRA_E2E_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
/** How long any one wait may take: generous for a loaded two-core machine, but bounded. */
const WAIT_MS = 15_000;
/** A whole test. */
const TEST_MS = 60_000;
/** The seeded demo thread, as shown: the eleven reference comments but the
 * three the default policy holds (see crates/rostra/tests/api/html.rs). */
const SEEDED = 8;

/**
 * Hooks for a test file: one browser for the file, a fresh context (no
 * cookies, no localStorage) for every test. Returns an object whose
 * `browser` and `context` are set while a test runs. Uncaught exceptions in
 * any page fail the test; console errors are printed to help a diagnosis.
 */
function useBrowser(contextOptions = {}) {
  const h = { browser: null, context: null, errors: [] };
  before(async () => {
    h.browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  });
  after(async () => {
    if (h.browser) await h.browser.close();
  });
  beforeEach(async () => {
    h.errors = [];
    h.context = await newContext(h, contextOptions);
  });
  afterEach(async () => {
    const errors = h.errors;
    const contexts = h.browser ? h.browser.contexts() : [];
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    h.context = null;
    assert.deepEqual(errors, [], 'uncaught exceptions in the page');
  });
  return h;
}

/** Another fresh context on the same browser, watched like the first. */
async function newContext(h, options = {}) {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS * 2);
  context.on('page', (page) => watch(h, page));
  return context;
}

function watch(h, page) {
  page.on('pageerror', (e) => {
    console.log(`[pageerror] ${page.url()}: ${e.stack || e}`);
    h.errors.push(String(e.message || e));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      const at = m.location() && m.location().url ? ` (${m.location().url})` : '';
      console.log(`[console.${m.type()}] ${m.text()}${at}`);
    }
  });
}

/** The widget's host element; Playwright's CSS and text locators pierce its open shadow root. */
const widget = (page) => page.locator('#rostra-thread');

/** Opens the demo page and waits until the widget has rendered the thread. */
async function openDemo(page, hash = '') {
  const r = await page.goto(PAGE + hash);
  assert.equal(r.status(), 200, 'GET / answers 200');
  await widgetReady(page);
  return widget(page);
}

/** Waits until the widget shows its section with the list in it. */
async function widgetReady(page) {
  await widget(page).locator('[data-r-root] [data-r-list]').waitFor({ state: 'attached' });
  await widget(page).locator('[data-r-count-text]').waitFor({ state: 'visible' });
}

/** Top-level comments as the widget shows them. */
const topLevel = (w) => w.locator('[data-r-list] > [data-r-comment]');
/** One comment's <li>. */
const comment = (w, id) => w.locator(`#rostra-c-${id}`);
/** The card of one comment (its own, not its replies'). */
const card = (w, id) => w.locator(`#rostra-c-${id} > article`);

/**
 * Polls `fn` (which asserts) until it passes; after `ms`, fails with its
 * last error, prefixed by `what`.
 */
async function eventually(what, fn, ms = WAIT_MS) {
  const end = Date.now() + ms;
  let last;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) break;
    await new Promise((r) => setTimeout(r, delay));
  }
  last.message = `${what} (still failing after ${ms} ms): ${last.message}`;
  throw last;
}

/** Waits until a locator's text (trimmed) equals or matches `want`. */
async function textIs(locator, want, what = 'text') {
  return eventually(what, async () => {
    const got = (await locator.textContent({ timeout: 1_000 }))?.trim();
    if (want instanceof RegExp) assert.match(got, want);
    else assert.equal(got, want);
  });
}

/** Waits until a locator matches exactly `n` elements. */
async function countIs(locator, n, what = 'count') {
  return eventually(what, async () => assert.equal(await locator.count(), n));
}

/** The element that has the focus, followed into shadow roots. */
async function deepFocus(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    const hosts = [];
    while (a && a.shadowRoot && a.shadowRoot.activeElement) {
      hosts.push(a.id || a.tagName.toLowerCase());
      a = a.shadowRoot.activeElement;
    }
    if (!a) return null;
    const s = getComputedStyle(a);
    const form = a.closest('[data-r-form]');
    return {
      hosts,
      tag: a.tagName.toLowerCase(),
      name: a.getAttribute('name'),
      type: a.getAttribute('type'),
      id: a.id,
      text: (a.textContent || '').trim().slice(0, 80),
      inForm: !!form,
      outlineStyle: s.outlineStyle,
      outlineWidth: parseFloat(s.outlineWidth) || 0,
      boxShadow: s.boxShadow,
      focusVisible: a.matches(':focus-visible'),
    };
  });
}

/** POSTs a comment through the JSON API as a guest; returns the 201's body. */
async function apiPost(body, { name = 'API Tester', parent = null, url = PAGE } = {}) {
  const r = await fetch(API + '/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, parent, author: { name }, body }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, `POST /comments: ${text}`);
  return JSON.parse(text);
}

/** Votes through the JSON API as `voter`. */
async function apiVote(id, voter, value = 1) {
  const r = await fetch(`${API}/comments/${id}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-rostra-voter': voter },
    body: JSON.stringify({ value }),
  });
  const text = await r.text();
  assert.equal(r.status, 200, `POST /comments/${id}/vote: ${text}`);
  return JSON.parse(text);
}

/** The first page of the demo thread from the JSON API. */
async function apiThread(query = '') {
  const r = await fetch(`${API}/thread?url=${encodeURIComponent(PAGE)}${query}`);
  assert.equal(r.status, 200);
  return r.json();
}

/** Waits for the widget's POST /comments answer; returns its JSON. */
async function postedBy(page) {
  const r = await page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/sites/demo/comments',
  );
  assert.equal(r.status(), 201, `the widget's POST /comments answered ${r.status()}: ${await r.text()}`);
  return r.json();
}

/** Saves a full-page screenshot under the artifacts folder; returns its path. */
async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  console.log(`screenshot: ${file}`);
  return file;
}

module.exports = {
  API,
  ARTIFACTS,
  BASE,
  MODERATOR,
  PAGE,
  SEEDED,
  TEST_MS,
  WAIT_MS,
  apiPost,
  apiThread,
  apiVote,
  card,
  comment,
  countIs,
  deepFocus,
  eventually,
  newContext,
  openDemo,
  postedBy,
  shot,
  textIs,
  topLevel,
  useBrowser,
  widget,
  widgetReady,
};
