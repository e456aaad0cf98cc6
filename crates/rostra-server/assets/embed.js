/* Rostra comment widget: plain ES2020, no dependencies, no build step.
 * <script src="https://comments.example.org/embed.js" data-site="demo" async></script>
 * <div id="rostra-thread"></div>
 * The server renders every comment (templates/README.md is the contract);
 * this script fetches the fragments into a Shadow DOM and wires behaviour to
 * their data-r-* attributes. */
(() => {
  'use strict';
  const D = document;
  const me = D.currentScript || D.querySelector('script[src*="embed.js"][data-site]');
  if (!me || !me.dataset.site) return;
  const BASE = new URL(me.src, location.href).origin;
  const CSS = '__ROSTRA_CSS__'; // the server puts the hashed stylesheet's path here
  const SITE = me.dataset.site;
  const API = BASE + '/api/v1/sites/' + encodeURIComponent(SITE);
  const KEY = 'rostra:' + SITE;
  const loaded = Date.now(); // for the time-to-submit check
  const EN = {
    error: 'Something went wrong. Please try again.',
    count: { one: '{n} comment', other: '{n} comments' },
  };

  // ---- small helpers ------------------------------------------------------
  const $ = (n, s) => n.querySelector(s);
  const $$ = (n, s) => [...n.querySelectorAll(s)];
  const h = (tag, attrs, text) => {
    const e = D.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  };
  const parse = (html) => {
    const t = h('template');
    t.innerHTML = html;
    return t.content;
  };
  const qs = (o) => {
    const p = new URLSearchParams();
    for (const k in o) if (o[k] != null && o[k] !== '') p.set(k, o[k]);
    return p;
  };
  const warn = (e) => console.warn('rostra:', e);
  // Runs a handler; nothing it throws or rejects escapes.
  const safe = (fn) => (...a) => {
    try {
      const r = fn(...a);
      if (r && r.catch) r.catch(warn);
    } catch (e) {
      warn(e);
    }
  };
  const reduced = () => matchMedia('(prefers-reduced-motion: reduce)').matches;
  const focusEl = (el, noScroll) => {
    if (!el) return;
    if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
    el.focus({ preventScroll: !!noScroll });
  };

  let store = {};
  try {
    store = JSON.parse(localStorage.getItem(KEY)) || {};
  } catch (e) { /* storage blocked: remember nothing */ }
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify(store));
    } catch (e) { /* full or blocked */ }
  };
  store.own = store.own || {}; // comment id -> {token, created (ms), parent, held}
  store.v = store.v || {}; // comment id -> my vote
  const voter = () => {
    if (!store.voter) {
      store.voter = [...crypto.getRandomValues(new Uint8Array(16))]
        .map((b) => (b + 256).toString(16).slice(1)).join('');
      save();
    }
    return store.voter;
  };

  // ---- strings --------------------------------------------------------------
  let I = {};
  let L = D.documentElement.lang || navigator.language || 'en';
  const plural = (s, n) => {
    if (s && typeof s == 'object') {
      let c = 'other';
      try {
        c = new Intl.PluralRules(L).select(n);
      } catch (e) { /* unknown locale */ }
      s = s[c] || s.other;
    }
    return String(s == null ? '' : s).split('{n}').join(n);
  };
  const t = (k, n) => plural(I[k] || EN[k] || '', n);

  // ---- the API --------------------------------------------------------------
  async function api(path, o = {}) {
    const init = { method: o.method || 'GET', headers: Object.assign({}, o.headers), cache: 'no-cache' };
    if (o.body) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(o.body);
    }
    let r;
    try {
      r = await fetch(API + path, init);
    } catch (e) {
      throw Object.assign(new Error(t('error')), { status: 0 });
    }
    if (!r.ok) {
      const e = ((await r.json().catch(() => 0)) || {}).error || {};
      throw Object.assign(new Error(e.message || t('error')), { status: r.status, field: e.field, code: e.code });
    }
    return o.html ? r.text() : r.json();
  }

  // ---- counts on listing pages ----------------------------------------------
  const countUrl = (el) => {
    try {
      return new URL(el.dataset.rostraCount, location.href).href;
    } catch (e) {
      return el.dataset.rostraCount;
    }
  };
  function showCount(el, n) {
    let lab = el.getAttribute('data-rostra-count-label');
    if (lab == null) return void (el.textContent = n);
    try {
      lab = JSON.parse(lab); // {"one":"{n} Kommentar","other":"{n} Kommentare"}
    } catch (e) { /* a plain "{n} comments" */ }
    el.textContent = lab ? plural(lab, n) : t('count', n);
  }
  function counts() {
    const els = $$(D, '[data-rostra-count]');
    const urls = [...new Set(els.map(countUrl))];
    const ask = (batch) => api('/counts', { method: 'POST', body: { urls: batch } }).then((r) => {
      for (const el of els) {
        const n = r.counts[countUrl(el)];
        if (n != null) showCount(el, n);
      }
    }, (e) => {
      // One URL the site does not serve (field "url[3]") fails the batch: ask again without it.
      const bad = /\[(\d+)\]/.exec(e.field || '');
      if (e.status != 422 || !bad) return warn(e);
      batch.splice(+bad[1], 1);
      if (batch.length) return ask(batch);
    });
    for (let i = 0; i < urls.length; i += 100) ask(urls.slice(i, i + 100));
  }

  // ---- the thread -------------------------------------------------------------
  function thread(host) {
    if (host.shadowRoot) return; // the script was included twice
    const opt = (k) => host.getAttribute('data-' + k) || me.getAttribute('data-' + k);
    const canon = $(D, 'link[rel=canonical]');
    const url = opt('url') || (canon && canon.href) || location.href.split('#')[0];
    const title = opt('title') || D.title;
    const lang = opt('lang') || D.documentElement.lang || navigator.language;
    host.setAttribute('data-theme', opt('theme') || 'auto');
    const root = host.attachShadow({ mode: 'open' });
    const styles = () => (CSS[0] == '/' ? [h('link', { rel: 'stylesheet', href: BASE + CSS })] : []);

    let sec; // the <section data-r-root>
    let form; // the comment form
    let homeMark; // where the form lives when not replying
    let cancel; // the form's Cancel (reply) button
    let sort = opt('sort');
    let win = 0; // edit window, seconds
    let count = 0;
    let es; // EventSource
    let bub; // the bubble's count element
    let timer;
    let rtf;
    const mine = new Set(); // ids posted from this page
    let fresh = []; // live `comment` events not shown yet
    let posting = Promise.resolve(); // the POST in flight: its own event may come first

    const byId = (id) => root.getElementById('rostra-c-' + id);
    const card = (li, s) => $(li, ':scope>article ' + s);
    const tok = (id) => (store.own[id] ? { 'X-Edit-Token': store.own[id].token } : {});
    const params = (p) => qs(Object.assign({ url, title, lang, sort }, p));
    const getHtml = async (p) => {
      const f = parse(await api('/html/thread?' + params(p), { html: 1 }));
      if (!$(f, '[data-r-list]')) throw new Error(t('error'));
      return f;
    };

    // Shows an error next to what failed (the form's or editor's [data-r-error]).
    function note(el, e) {
      if (typeof e != 'string' && e.status == null) warn(e);
      const msg = typeof e == 'string' ? e : e.status != null ? e.message : t('error');
      const c = el && el.isConnected && el.closest('form,[data-r-editor],article,[data-r-more-wrap]');
      let p = c && $(c, '[data-r-error]');
      if (!p) {
        p = h('p', { class: 'r-error', role: 'alert', 'data-r-error': '' });
        if (c) c.append(p);
        else if (sec) $(sec, '[data-r-list]').before(p);
        else root.append(p);
        setTimeout(() => p.remove(), 8e3);
      }
      p.textContent = msg;
      p.hidden = false;
    }

    // Relative times, own comments' Edit/Delete, own votes.
    const UNITS = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [1 / 0, 'year']];
    function ago(iso) {
      let v = (Date.parse(iso) - Date.now()) / 1e3;
      if (!rtf || isNaN(v)) return null;
      if (Math.abs(v) < 45) v = 0;
      for (const [k, u] of UNITS) {
        if (Math.abs(v) < k) return rtf.format(Math.trunc(v), u);
        v /= k;
      }
    }
    function hydrate(n) {
      const now = Date.now();
      for (const el of $$(n, 'time[data-r-time]')) {
        if (!el.title) el.title = el.textContent.trim();
        const s = ago(el.getAttribute('datetime'));
        if (s) el.textContent = s;
      }
      const lis = $$(n, '[data-r-comment]');
      if (n.matches && n.matches('[data-r-comment]')) lis.push(n);
      for (const li of lis) {
        const id = li.dataset.id;
        const o = store.own[id];
        const open = !!o && now < o.created + win * 1e3;
        for (const b of $$(li, ':scope>article [data-r-action=edit],:scope>article [data-r-action=delete]')) b.hidden = !open;
        for (const b of $$(li, ':scope>article [data-r-vote]')) {
          b.setAttribute('aria-pressed', b.dataset.rVote == (store.v[id] || 0));
        }
      }
      // Hide Edit/Delete the moment the earliest window closes.
      const ends = Object.values(store.own).map((o) => o.created + win * 1e3).filter((x) => x > now);
      clearTimeout(timer);
      if (ends.length && sec) timer = setTimeout(() => hydrate(sec), Math.min(...ends) - now + 50);
    }

    // ---- counts, banner -----------------------------------------------------
    function setCount(n) {
      if (n == null || isNaN(n)) return;
      count = +n;
      sec.dataset.count = n;
      const c = $(sec, '[data-r-count-text]');
      if (c) c.textContent = t('count', count);
      if (bub) bub.textContent = count;
      for (const el of $$(D, '[data-rostra-count]')) if (countUrl(el) == url) showCount(el, count);
    }
    function banner() {
      const b = $(sec, '[data-r-new]');
      if (!b) return;
      b.hidden = !fresh.length;
      const btn = $(b, 'button');
      if (btn && fresh.length) btn.textContent = t('new', fresh.length);
    }

    // ---- putting comments on the page ---------------------------------------
    async function getLi(id) {
      const f = parse(await api('/html/comments/' + id + '?' + qs({ lang }), { html: 1, headers: tok(id) }));
      const li = $(f, '[data-r-comment]');
      if (!li) throw new Error(t('error'));
      return li;
    }
    function drop(li) {
      if (form && li.contains(form)) home();
      li.remove();
    }
    // Replaces a comment, keeping its replies (and the reply form, if there).
    function swap(old, li) {
      const reps = $(old, ':scope>[data-r-replies]');
      const nr = $(li, ':scope>[data-r-replies]');
      if (reps && nr) nr.replaceWith(reps);
      if (form && form.parentNode == old) li.insertBefore(form, $(li, ':scope>[data-r-replies]'));
      old.replaceWith(li);
      hydrate(li);
      return li;
    }
    function place(li, parent) {
      const old = byId(li.dataset.id);
      if (old) return swap(old, li);
      const list = $(sec, '[data-r-list]');
      if (parent) {
        const p = byId(parent);
        const reps = p && $(p, ':scope>[data-r-replies]');
        if (!reps) return null;
        reps.append(li);
      } else if (sort == 'newest') list.prepend(li);
      else list.append(li);
      for (const e of $$(sec, '[data-r-empty]')) e.remove();
      hydrate(li);
      return li;
    }
    // A held comment is not in the public list: show it to its author again.
    function restoreHeld() {
      for (const id in store.own) {
        const o = store.own[id];
        if (Date.now() - o.created > 2592e6) delete store.own[id]; // 30 days
        else if (o.held && !byId(id)) {
          getLi(id).then((li) => {
            if (li.dataset.status == 'pending') return place(li, o.parent);
            o.held = false;
            save();
          }, warn);
        }
      }
      save();
    }
    async function refresh(id) {
      const old = byId(id);
      if (!old) return null;
      try {
        return swap(old, await getLi(id));
      } catch (e) {
        if (e.status != 404) throw e;
        drop(old);
        return null;
      }
    }

    // ---- loading the section and its list -----------------------------------
    async function load(p) {
      const f = await getHtml(p);
      const s = $(f, '[data-r-root]');
      if (!s) throw new Error(t('error'));
      root.replaceChildren(...styles(), s);
      host.replaceChildren(); // a <noscript> or server-rendered copy
      sec = s;
      try {
        I = JSON.parse(s.dataset.i18n || '{}');
      } catch (e) {
        I = {};
      }
      L = s.lang || lang;
      try {
        rtf = new Intl.RelativeTimeFormat(L, { numeric: 'auto' });
      } catch (e) { /* old browser: keep absolute dates */ }
      sort = s.dataset.sort || sort;
      win = +s.dataset.editWindow || 0;
      count = +s.dataset.count || 0;
      form = $(s, '[data-r-form]');
      if (form) {
        homeMark = D.createComment('');
        form.before(homeMark);
        const el = form.elements;
        if (el.name && !el.name.value && store.name) el.name.value = store.name;
        if (el.email && !el.email.value && store.email) el.email.value = store.email;
        cancel = $(form, '[data-r-action=cancel-reply]');
        if (!cancel) {
          cancel = h('button', { type: 'button', 'data-r-action': 'cancel-reply', hidden: '' }, t('cancel'));
          $(form, '.r-actions [type=submit]').before(cancel);
        }
        const pv = $(form, '[data-r-action=preview]');
        if (pv) pv.hidden = false; // hidden for readers without JavaScript
      }
      hydrate(s);
    }

    // Replaces the list (and the load-more link): sort, permalink, view all, reset.
    async function relist(p) {
      const full = p.around != null;
      const list = $(sec, '[data-r-list]');
      list.setAttribute('aria-busy', 'true');
      let f;
      try {
        f = await getHtml(Object.assign({ part: full ? null : 'list' }, p));
      } finally {
        list.removeAttribute('aria-busy');
      }
      home();
      for (const e of $$(sec, '[data-r-empty]')) e.remove();
      list.replaceWith($(f, '[data-r-list]'));
      const empty = $(f, '[data-r-empty]');
      if (empty) $(sec, '[data-r-list]').after(empty);
      const nw = $(f, '[data-r-more-wrap]');
      const ow = $(sec, '[data-r-more-wrap]');
      if (ow) ow.replaceWith(nw || '');
      else if (nw) $(sec, '[data-r-list]').after(nw);
      const all = $(sec, '[data-r-all]');
      const na = full && $(f, '[data-r-all]');
      if (all) all.remove();
      if (na) $(sec, '[data-r-count-text]').closest('header,h2').after(na);
      fresh = [];
      banner();
      hydrate(sec);
    }

    async function more(a) {
      if (a.getAttribute('aria-disabled')) return;
      const wrap = a.closest('[data-r-more-wrap]');
      const label = a.textContent;
      a.textContent = t('loading');
      a.setAttribute('aria-disabled', 'true');
      let f;
      try {
        f = await getHtml({ after: new URL(a.href, BASE).searchParams.get('after'), part: 'list' });
      } finally {
        a.textContent = label;
        a.removeAttribute('aria-disabled');
      }
      const list = $(sec, '[data-r-list]');
      const items = $$(f, '[data-r-list]>li');
      for (const li of items) {
        const o = byId(li.dataset.id);
        if (o) drop(o); // shown live before its page was loaded
        list.append(li);
        hydrate(li);
      }
      const nw = $(f, '[data-r-more-wrap]');
      if (nw) wrap.replaceWith(nw);
      else wrap.remove();
      focusEl(items[0]);
    }

    async function setSort(a) {
      for (const x of $$(sec, '[data-r-sort]')) x.removeAttribute('aria-current');
      a.setAttribute('aria-current', 'true');
      sort = sec.dataset.sort = a.dataset.rSort;
      await relist({});
    }

    async function goTo(id) {
      let li = byId(id);
      if (!li) {
        await relist({ around: id }).catch((e) => {
          if (e.status != 404) throw e;
        });
        li = byId(id);
      }
      if (!li) return note(null, t('permalink_missing'));
      li.classList.remove('r-hl');
      void li.offsetWidth; // restart the fade
      li.classList.add('r-hl');
      li.scrollIntoView({ behavior: reduced() ? 'auto' : 'smooth', block: 'center' });
      focusEl(li, 1);
      setTimeout(() => li.classList.remove('r-hl'), 4e3);
    }
    const hashId = () => (/^#rostra-c-(\d+)$/.exec(location.hash) || [])[1];

    // ---- the form -------------------------------------------------------------
    function home(focus) {
      if (!form || form.previousSibling == homeMark) return;
      const li = form.closest('[data-r-comment]');
      const btn = li && card(li, '[data-r-action=reply]');
      homeMark.after(form);
      form.elements.parent.value = '';
      cancel.hidden = true;
      if (btn) {
        btn.setAttribute('aria-expanded', 'false');
        if (focus) btn.focus();
      }
    }
    function reply(btn, li) {
      if (!form) return;
      if (form.parentNode == li) return home(1);
      home();
      li.insertBefore(form, $(li, ':scope>[data-r-replies]'));
      form.elements.parent.value = li.dataset.id;
      btn.setAttribute('aria-expanded', 'true');
      cancel.hidden = false;
      form.elements.body.focus();
    }
    function write(f, focus) {
      const pv = $(f, '[data-r-preview]');
      const b = $(f, '[data-r-action=preview]');
      if (pv) pv.hidden = true;
      f.elements.body.hidden = false;
      if (b) b.textContent = t('preview');
      if (focus) f.elements.body.focus();
    }
    async function preview(btn) {
      const f = btn.form;
      const pv = $(f, '[data-r-preview]');
      if (!pv.hidden) return write(f, 1);
      btn.disabled = true;
      try {
        pv.innerHTML = (await api('/preview', { method: 'POST', body: { body: f.elements.body.value } })).html;
      } finally {
        btn.disabled = false;
      }
      pv.hidden = false;
      f.elements.body.hidden = true;
      btn.textContent = t('write');
      btn.focus();
    }
    async function submit(f) {
      const el = f.elements;
      const v = (n) => ((el[n] && el[n].value) || '').trim();
      const btn = $(f, '.r-actions [type=submit]');
      const err = $(f, '[data-r-error]');
      const label = btn.textContent;
      if (f.getAttribute('aria-busy')) return;
      err.hidden = true;
      for (const x of $$(f, '[aria-invalid]')) x.removeAttribute('aria-invalid');
      btn.disabled = true;
      btn.textContent = t('posting');
      f.setAttribute('aria-busy', 'true');
      try {
        const parent = +v('parent') || null;
        const notify = el.notify;
        const req = api('/comments', {
          method: 'POST',
          body: {
            url: v('url') || url,
            title: v('title') || title,
            parent,
            author: { name: v('name'), email: v('email') || null, website: v('website') || null },
            body: el.body.value,
            notify: notify ? notify.value : null,
            cadence: v('cadence') || null,
            lang: v('lang') || null,
            homepage: v('homepage') || null,
            elapsed_ms: Date.now() - (f._shown || loaded),
            acknowledge_nudge: !!f.dataset.nudged,
          },
        });
        posting = req.catch(() => 0);
        const r = await req;
        const id = String(r.comment.id);
        delete f.dataset.nudged;
        if (r.comment.status == 'rejected' || r.comment.status == 'spam') {
          el.body.value = '';
          write(f);
          throw Object.assign(new Error(t('not_published')), { status: 201 });
        }
        mine.add(id);
        store.own[id] = { token: r.edit_token, created: Date.now(), parent, held: r.comment.status == 'pending' };
        store.name = v('name');
        store.email = v('email');
        save();
        if (r.edit_window_secs) win = r.edit_window_secs;
        el.body.value = '';
        write(f);
        setCount(r.thread_count);
        if (parent) home();
        const li = await getLi(id).catch(() => null);
        if (li && place(li, parent)) focusEl(li);
      } catch (e) {
        write(f);
        err.textContent = e.status != null ? e.message : t('error');
        err.hidden = false;
        // The site's nudge: edit, or send again to post it for review.
        if (e.code == 'nudge') f.dataset.nudged = '1';
        if (e.status == null) warn(e);
        const fld = e.field && el[e.field.split('.').pop()];
        if (fld && fld.focus && fld.type != 'hidden') {
          fld.setAttribute('aria-invalid', 'true');
          fld.focus();
        }
      } finally {
        btn.disabled = false;
        btn.textContent = f.dataset.nudged ? t('post_anyway') : label == t('post_anyway') ? t('post') : label;
        f.removeAttribute('aria-busy');
      }
    }

    // ---- own comments: edit, delete -------------------------------------------
    async function edit(btn, li) {
      const id = li.dataset.id;
      const text = card(li, '[data-r-text]');
      if (!text || card(li, '[data-r-editor]')) return;
      btn.disabled = true;
      let c;
      try {
        c = await api('/comments/' + id, { headers: tok(id) });
      } finally {
        btn.disabled = false;
      }
      const ta = h('textarea', { 'aria-label': t('edit'), rows: 5 });
      ta.value = c.markdown != null ? c.markdown : c.body != null ? c.body : text.innerText.trim();
      const ed = h('div', { class: 'r-editor', 'data-r-editor': '' });
      ed.append(
        ta,
        h('p', { class: 'r-error', role: 'alert', 'data-r-error': '', hidden: '' }),
        h('button', { type: 'button', class: 'r-button', 'data-r-action': 'save' }, t('save')),
        h('button', { type: 'button', class: 'r-button r-secondary', 'data-r-action': 'cancel-edit' }, t('cancel')),
      );
      text.hidden = true;
      text.after(ed);
      ta.focus();
    }
    async function saveEdit(btn, li) {
      const id = li.dataset.id;
      btn.disabled = true;
      try {
        await api('/comments/' + id, { method: 'PATCH', headers: tok(id), body: { body: $(btn.parentNode, 'textarea').value } });
      } finally {
        btn.disabled = false;
      }
      focusEl(await refresh(id));
    }
    function cancelEdit(btn, li) {
      btn.parentNode.remove();
      card(li, '[data-r-text]').hidden = false;
      card(li, '[data-r-action=edit]').focus();
    }
    async function del(btn, li) {
      if (!confirm(t('confirm_delete'))) return;
      const id = li.dataset.id;
      await api('/comments/' + id, { method: 'DELETE', headers: tok(id) });
      delete store.own[id];
      save();
      focusEl((await refresh(id)) || $(sec, '[data-r-list]'));
    }

    // ---- votes --------------------------------------------------------------------
    async function vote(btn, li) {
      if (li.hasAttribute('data-r-busy')) return;
      const id = li.dataset.id;
      const want = +btn.dataset.rVote;
      const value = store.v[id] == want ? 0 : want;
      li.setAttribute('data-r-busy', '');
      try {
        const r = await api('/comments/' + id + '/vote', { method: 'POST', headers: { 'X-Rostra-Voter': voter() }, body: { value } });
        if (value) store.v[id] = value;
        else delete store.v[id];
        save();
        votes(li, r.upvotes, r.downvotes);
        hydrate(li);
      } finally {
        li.removeAttribute('data-r-busy');
      }
    }
    function votes(li, up, down) {
      const a = card(li, '[data-r-up]');
      const b = card(li, '[data-r-down]');
      if (a && up != null) a.textContent = up;
      if (b && down != null) b.textContent = down;
    }

    // ---- live updates -----------------------------------------------------------
    async function onComment(d) {
      const id = String(d.id);
      const grew = d.count > count;
      setCount(d.count);
      if (byId(id)) {
        if (d.kind != 'created') await refresh(id);
        return;
      }
      fresh = fresh.filter((x) => x.id != d.id);
      await posting;
      if (byId(id)) return;
      const isNew = d.kind == 'created' || (d.kind == 'status' && grew);
      if (isNew && !mine.has(id) && (!d.parent || byId(d.parent))) fresh.push(d);
      banner();
    }
    async function showNew() {
      const items = fresh;
      fresh = [];
      banner();
      let lis;
      try {
        lis = await Promise.all(items.map((d) => getLi(d.id).catch((e) => {
          if (e.status != 404) throw e;
        })));
      } catch (e) {
        fresh = items.concat(fresh);
        banner();
        throw e;
      }
      let first;
      lis.forEach((li, i) => {
        if (li && place(li, items[i].parent)) first = first || li;
      });
      focusEl(first);
    }
    const typing = () => !!form && (!!form.elements.body.value || form.contains(root.activeElement) || !!$(sec, '[data-r-editor]'));
    function reset() {
      if (typing()) setTimeout(reset, 3e4);
      else relist({}).catch(warn);
    }
    let lastId;
    function live() {
      if (!window.EventSource || (es && es.readyState != 2)) return;
      es = new EventSource(API + '/stream?' + qs({ url, last_event_id: lastId }));
      // The browser reconnects by itself, except after an error status (503: too many streams).
      es.onerror = () => es.readyState == 2 && setTimeout(live, 3e4 + Math.random() * 3e4);
      const on = (type, fn) => es.addEventListener(type, safe((ev) => {
        lastId = ev.lastEventId || lastId;
        fn(JSON.parse(ev.data || '{}'));
      }));
      on('comment', onComment);
      on('vote', (d) => {
        const li = byId(d.id);
        if (li) votes(li, d.up, d.down);
      });
      on('reset', reset);
    }

    // ---- the bubble ----------------------------------------------------------------
    function bubble() {
      if (opt('bubble') == 'off' || store.bubbleOff || !form || !D.body) return;
      const b = h('div', { 'data-rostra-bubble': '', 'data-theme': host.getAttribute('data-theme') });
      const r = b.attachShadow({ mode: 'open' });
      const w = h('div', { class: 'r-bubble', dir: sec.dir || 'ltr', lang: L });
      const go = h('button', { type: 'button', class: 'r-bub-go' });
      bub = h('span', { class: 'r-bub-n' }, count);
      go.append(bub, h('span', { class: 'r-bub-t' }, t('invite')));
      const x = h('button', { type: 'button', class: 'r-bub-x', 'aria-label': t('dismiss'), title: t('dismiss') }, '×');
      w.append(go, x);
      const css = styles();
      r.append(...css, w);
      // Follow what the publisher set on the thread's host (#rostra-thread { --rostra-accent: … }).
      if (css[0]) css[0].onload = () => {
        const a = getComputedStyle(host);
        const c = getComputedStyle(b);
        for (const v of ['bg', 'fg', 'muted', 'accent', 'on-accent', 'border', 'font', 'radius']) {
          const k = '--rostra-' + v;
          const val = a.getPropertyValue(k);
          if (val && val != c.getPropertyValue(k)) b.style.setProperty(k, val);
        }
      };
      D.body.append(b);
      go.onclick = safe(() => {
        form.scrollIntoView({ behavior: reduced() ? 'auto' : 'smooth', block: 'center' });
        const el = form.elements;
        focusEl(el.name && !el.name.value ? el.name : el.body, 1);
      });
      x.onclick = safe(() => {
        store.bubbleOff = 1;
        save();
        b.remove();
      });
      // Out of the way while the thread (its form included) is on screen.
      if (window.IntersectionObserver) {
        new IntersectionObserver((en) => {
          w.hidden = en[en.length - 1].isIntersecting;
        }).observe(host);
      }
    }

    // ---- events ---------------------------------------------------------------------
    const ACT = {
      preview,
      reply,
      'cancel-reply': () => home(1),
      edit,
      save: saveEdit,
      'cancel-edit': cancelEdit,
      delete: del,
      'show-new': showNew,
      retry: start,
    };
    root.addEventListener('click', (e) => {
      let a;
      try {
        a = e.target.closest('[data-r-action],[data-r-vote],[data-r-sort],[data-r-more],[data-r-all],[data-r-permalink],a[href^="#rostra-c-"]');
        if (!a) return;
        if (a.tagName == 'A') {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
          e.preventDefault();
        }
        const li = a.closest('[data-r-comment]');
        let job;
        if (a.hasAttribute('data-r-vote')) job = vote(a, li);
        else if (a.dataset.rSort) job = setSort(a);
        else if (a.hasAttribute('data-r-more')) job = more(a);
        else if (a.hasAttribute('data-r-all')) job = viewAll();
        else if (a.tagName == 'A') job = permalink(a);
        else if (ACT[a.dataset.rAction]) job = ACT[a.dataset.rAction](a, li);
        if (job && job.catch) job.catch((err) => note(a, err));
      } catch (err) {
        note(a, err);
      }
    });
    // When a person starts on a form; a nudged text, once edited, is new.
    root.addEventListener('focusin', (e) => {
      const f = e.target.closest && e.target.closest('[data-r-form]');
      if (f && !f._shown) f._shown = Date.now();
    });
    root.addEventListener('input', (e) => {
      const f = e.target.name == 'body' && e.target.closest('[data-r-form]');
      if (f && f.dataset.nudged) {
        delete f.dataset.nudged;
        $(f, '.r-actions [type=submit]').textContent = t('post');
      }
    });
    root.addEventListener('submit', (e) => {
      if (!e.target.matches('[data-r-form]')) return;
      e.preventDefault();
      const b = e.submitter;
      (b && b.value == 'subscribe' ? subscribe(e.target, b) : submit(e.target)).catch(warn);
    });
    // Subscribe without commenting: the address gets a link to confirm.
    async function subscribe(f, b) {
      const el = f.elements;
      const err = $(f, '[data-r-error]');
      el.email.removeAttribute('aria-invalid');
      b.disabled = true;
      try {
        await api('/subscriptions', {
          method: 'POST',
          body: { url: el.url.value || url, title: el.title.value || title, email: el.email.value.trim(), cadence: el.cadence.value, lang: el.lang.value },
        });
        err.textContent = t('subscribe_sent');
      } catch (e) {
        err.textContent = e.message;
        if (e.field) {
          el.email.setAttribute('aria-invalid', 'true');
          el.email.focus();
        }
      } finally {
        err.hidden = false;
        b.disabled = false;
      }
    }
    root.addEventListener('keydown', safe((e) => {
      const el = e.target;
      if (e.key == 'Enter' && (e.ctrlKey || e.metaKey) && el.tagName == 'TEXTAREA') {
        e.preventDefault();
        const ed = el.closest('[data-r-editor]');
        if (ed) $(ed, '[data-r-action=save]').click();
        else if (el.form) el.form.requestSubmit();
      } else if (e.key == 'Escape' && form && form.contains(el) && form.elements.parent.value) {
        home(1);
      }
    }));
    function permalink(a) {
      const id = (/#rostra-c-(\d+)$/.exec(a.getAttribute('href')) || [])[1];
      if (!id) return;
      if (hashId() == id) return goTo(id);
      location.hash = 'rostra-c-' + id; // hashchange does the rest
    }
    async function viewAll() {
      if (hashId()) history.replaceState(null, '', location.pathname + location.search);
      await relist({});
      focusEl($(sec, '[data-r-list]>li'), 1);
      sec.scrollIntoView({ behavior: reduced() ? 'auto' : 'smooth' });
    }

    async function start() {
      const id = hashId();
      root.replaceChildren(...styles(), h('div', { class: 'r-load', 'aria-busy': 'true' }));
      try {
        await load(id ? { around: id } : {}).catch((e) => {
          if (!id || e.status != 404) throw e;
          return load({});
        });
      } catch (e) {
        root.lastChild.replaceWith(h('p', { class: 'r-error', role: 'alert' }, e.message || t('error')));
        root.lastChild.append(' ', h('button', { type: 'button', 'data-r-action': 'retry' }, '↻'));
        $(root, '[data-r-action=retry]').setAttribute('aria-label', 'Retry');
        return counts();
      }
      if (id) goTo(id).catch(warn);
      restoreHeld();
      live();
      bubble();
      counts();
      setInterval(safe(() => hydrate(sec)), 6e4);
      addEventListener('hashchange', safe(() => hashId() && goTo(hashId())));
      addEventListener('pagehide', () => es && es.close());
      addEventListener('pageshow', safe((e) => e.persisted && live()));
    }
    start().catch(warn);
  }

  // ---- donation campaigns: <div data-rostra-campaign="SLUG"> -----------------------
  // The server renders the bar (templates/README.md) in the reader's language
  // and time zone; totals arrive over SSE and the bar is fetched again.
  function campaign(host) {
    if (host.shadowRoot) return;
    const path = '/campaigns/' + encodeURIComponent(host.dataset.rostraCampaign);
    const lang = host.getAttribute('data-lang') || D.documentElement.lang || navigator.language;
    const root = host.attachShadow({ mode: 'open' });
    const say = h('p', { class: 'r-sr', 'aria-live': 'polite' });
    // What the server included stays in view until the bar comes.
    root.append(...(CSS[0] == '/' ? [h('link', { rel: 'stylesheet', href: BASE + CSS })] : []), say, ...[...host.children].map((n) => n.cloneNode(true)));
    let es;
    const now = () => +($(root, '[data-r-bar]') || {}).value;
    // Ticks at their share of the goal, through the CSSOM (a CSP may forbid style attributes).
    const place = (sec) => $$(sec, '[data-at]').forEach((li) => {
      li.style.insetInlineStart = li.dataset.at + '%';
      li.parentNode.classList.add('rc-abs');
    });
    place(root);
    async function load(told) {
      const sec = parse(await api(path + '/html?' + qs({ lang, tz: -new Date().getTimezoneOffset() }), { html: true })).firstElementChild;
      const old = $(root, '[data-r-campaign]');
      if (old) old.replaceWith(sec);
      else root.append(sec);
      place(sec); // once in the page: a style set in the template's document would be re-checked against the CSP
      if (told) say.textContent = $(sec, '.rc-raised').textContent.trim();
    }
    function live() {
      if (!window.EventSource || (es && es.readyState != 2)) return;
      es = new EventSource(API + path + '/stream');
      es.onerror = () => es.readyState == 2 && setTimeout(live, 3e4 + Math.random() * 3e4);
      es.addEventListener('totals', safe((ev) => JSON.parse(ev.data).raised != now() && load(1)));
      es.addEventListener('reset', safe(() => load(1)));
    }
    load().then(live, warn);
    setInterval(safe(() => load()), 36e5); // the countdown moves once a day
    addEventListener('pagehide', () => es && es.close());
    addEventListener('pageshow', safe((e) => e.persisted && live()));
  }

  function boot() {
    $$(D, '[data-rostra-campaign]').forEach(campaign);
    const host = D.getElementById('rostra-thread') || $(D, '[data-rostra-thread]');
    if (host) thread(host);
    else counts();
  }
  if (D.readyState == 'loading') D.addEventListener('DOMContentLoaded', safe(boot));
  else safe(boot)();
})();
