/* standpoint default theme: hover previews, search (progressive enhancement only).
   search-index.json and search.js (Pagefind) load on demand from the site root,
   found from this script's URL. */
(function () {
  'use strict';
  var me = document.currentScript;
  var root = new URL('.', me && me.src ? me.src : location.href);
  var loading = null, entries = [], byUrl = {};
  var KINDS = { actor: 'Actor', question: 'Question', event: 'Event', page: 'Page' };
  /* The theme's word `name` in the page's language, from the data-t-* attributes of
     `box` (the template writes them), in the plural form for `n`, with {n} and `vars`
     filled in; `fallback` when the template gives none. */
  function word(box, name, fallback, n, vars) {
    var attr = 'data-t-' + name, text = null;
    if (n != null) {
      var form = 'other';
      try { form = new Intl.PluralRules(document.documentElement.lang || 'en').select(n); } catch (e) { /* other */ }
      [form, 'other', 'many'].some(function (f) { text = box && box.getAttribute(attr + '-' + f); return text; });
    } else {
      text = box && box.getAttribute(attr);
    }
    vars = vars || {};
    vars.n = n;
    return (text || fallback).replace(/\{(\w+)\}/g, function (m, k) { return vars[k] != null ? vars[k] : m; });
  }
  /* For the theme's other scripts, which load after this one. */
  window.standpointWord = word;

  function key(href) {
    var u = new URL(href, location.href);
    return u.origin + u.pathname.replace(/index\.html$/, '').replace(/\/?$/, '/');
  }
  function norm(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function load() {
    if (!loading) {
      loading = fetch(new URL('search-index.json', root).href)
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (d) {
          entries = Array.isArray(d) ? d : (d && (d.entries || d.items || d.pages)) || [];
          entries.forEach(function (e) {
            e.href = new URL(e.url || '', root).href;
            byUrl[key(e.href)] = e;
            e.n = { t: norm(e.title), a: norm((e.aliases || []).join(' | ')), r: norm(e.role), s: norm((e.summary || '') + ' ' + (e.question || '')) };
          });
        })
        .catch(function () { entries = []; });
    }
    return loading;
  }
  /* "2024-05-30" -> "30 May 2024", as the pages write dates. */
  function fmtDate(s) {
    var p = String(s).split('-');
    if (p.length < 2) return s;
    try {
      var m = new Date(Date.UTC(+p[0], +p[1] - 1, 1))
        .toLocaleDateString(document.documentElement.lang || undefined, { month: 'long', timeZone: 'UTC' });
      return (p[2] ? +p[2] + ' ' : '') + m + ' ' + p[0];
    } catch (e) { return s; }
  }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }

  /* ---------- Hover previews ---------- */
  var card = el('div', 'hovercard');
  card.id = 'sp-preview';
  card.setAttribute('role', 'tooltip');
  card.hidden = true;
  var owner = null, want = null, showT = 0, hideT = 0;

  function linkOf(t) {
    var a = t && t.closest ? t.closest('a[href]') : null;
    if (!a || a.closest('.search-results, .hovercard, .site-header .brand')) return null;
    return a;
  }
  function entryOf(a) {
    var e = byUrl[key(a.href)];
    if (!e || (e.kind !== 'actor' && e.kind !== 'question')) return null;
    if (key(a.href) === key(location.href)) return null;
    return e;
  }
  function fill(e) {
    card.textContent = '';
    card.appendChild(el('p', 'hc-kind', KINDS[e.kind] || e.kind));
    card.appendChild(el('p', 'hc-title', e.title));
    if (e.role) card.appendChild(el('p', 'hc-role', e.role));
    var text = e.kind === 'question' ? (e.question || e.summary) : e.summary;
    if (text) card.appendChild(el('p', 'hc-text', text));
    var st = e.stances || [];
    if (st.length) {
      var ul = el('ul', 'hc-stances');
      st.slice(0, 4).forEach(function (s) {
        var li = el('li');
        li.appendChild(el('span', 'hc-q', s.question));
        li.appendChild(el('span', 'hc-p', s.position));
        if (s.date) li.appendChild(el('span', 'hc-date', 'as of ' + fmtDate(s.date)));
        ul.appendChild(li);
      });
      if (st.length > 4) ul.appendChild(el('li', 'hc-date', '+ ' + (st.length - 4) + ' more'));
      card.appendChild(ul);
    }
  }
  function place(a) {
    var r = a.getBoundingClientRect(), vw = document.documentElement.clientWidth, vh = window.innerHeight;
    card.style.left = '0px';
    card.style.top = '0px';
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    var top = r.bottom + 8;
    if (top + h > vh - 8 && r.top - h - 8 > 8) top = r.top - h - 8;
    card.style.left = (left + window.scrollX) + 'px';
    card.style.top = (top + window.scrollY) + 'px';
  }
  function show(a) {
    clearTimeout(hideT);
    want = a;
    load().then(function () {
      var e = entryOf(a);
      if (!e || want !== a) return;
      if (owner && owner !== a) owner.removeAttribute('aria-describedby');
      owner = a;
      fill(e);
      if (!card.parentNode) document.body.appendChild(card);
      card.hidden = false;
      place(a);
      a.setAttribute('aria-describedby', card.id);
    });
  }
  function hide() {
    clearTimeout(showT);
    want = null;
    card.hidden = true;
    if (owner) owner.removeAttribute('aria-describedby');
    owner = null;
  }
  document.addEventListener('pointerover', function (ev) {
    if (ev.pointerType === 'touch') return;
    var a = linkOf(ev.target);
    if (!a || a === owner) return;
    clearTimeout(showT);
    showT = setTimeout(function () { show(a); }, 250);
  });
  document.addEventListener('pointerout', function (ev) {
    var a = linkOf(ev.target);
    if (!a || (ev.relatedTarget && a.contains(ev.relatedTarget))) return;
    clearTimeout(showT);
    if (document.activeElement === a) return;
    if (want === a && a !== owner) want = null;
    if (a === owner) hideT = setTimeout(hide, 120);
  });
  document.addEventListener('focusin', function (ev) {
    var a = linkOf(ev.target);
    var kbd = true;
    try { kbd = a && a.matches(':focus-visible'); } catch (e) { /* old browsers: treat focus as keyboard focus */ }
    if (a && kbd) show(a); else if (owner) hide();
  });
  document.addEventListener('focusout', function (ev) {
    if (ev.target === owner) hide();
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && owner) hide();
  });
  window.addEventListener('resize', function () { if (owner) hide(); });

  /* ---------- Search ---------- */
  var form = document.querySelector('.site-search');
  if (form && form.getAttribute('data-t-kinds')) {
    var names = form.getAttribute('data-t-kinds').split('|');
    ['actor', 'question', 'event', 'page'].forEach(function (k, i) { if (names[i]) KINDS[k] = names[i]; });
  }
  if (!form) return;
  var input = form.querySelector('input');
  var list = form.querySelector('.search-results');
  var status = form.querySelector('[role="status"]');
  /* Opened from disk, browsers refuse the fetch: show search only if the index loads. */
  if (location.protocol !== 'file:') form.hidden = false;
  else load().then(function () { form.hidden = !entries.length; });

  function score(e, terms) {
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], n = e.n;
      if (n.t.indexOf(t) === 0 || n.t.indexOf(' ' + t) > -1) s += 0;
      else if (n.t.indexOf(t) > -1) s += 1;
      else if (n.a.indexOf(t) > -1) s += 2;
      else if (n.r.indexOf(t) > -1) s += 3;
      else if (n.s.indexOf(t) > -1) s += 4;
      else return -1;
    }
    return s;
  }
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
  function close() { list.hidden = true; list.textContent = ''; }
  function run() {
    var q = norm(input.value).trim();
    if (!q) { close(); status.textContent = ''; return; }
    load().then(function () {
      var terms = q.split(/\s+/);
      var hits = entries.map(function (e) { return { e: e, s: score(e, terms) }; })
        .filter(function (h) { return h.s >= 0; })
        .sort(function (a, b) { return a.s - b.s || a.e.title.localeCompare(b.e.title); })
        .slice(0, 8);
      list.textContent = '';
      if (!hits.length) {
        list.appendChild(el('li', 'r-empty', entries.length ? word(form, 'no-matches', 'No matches.') : word(form, 'no-search', 'Search is not available here.')));
      }
      hits.forEach(function (h) {
        var e = h.e, li = el('li'), a = el('a');
        a.href = e.href;
        a.appendChild(el('span', 'r-kind', KINDS[e.kind] || e.kind || ''));
        a.appendChild(el('span', 'r-title', e.title));
        var sub = e.role || e.summary || e.question || (e.date && fmtDate(e.date));
        if (sub) a.appendChild(el('span', 'r-sub', sub));
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
      status.textContent = hits.length
        ? word(form, 'results', '{n} results. Use the arrow keys to move through them.', hits.length)
        : word(form, 'no-results', 'No results.');
    });
  }
  input.setAttribute('aria-controls', 'sp-results');
  list.id = 'sp-results';
  input.addEventListener('focus', function () { load(); import(root + 'search.js'); });
  input.addEventListener('input', run);
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var first = links()[0];
    if (first) location.href = first.href;
  });
  form.addEventListener('keydown', function (ev) {
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!ls.length) return;
      ev.preventDefault();
      var down = ev.key === 'ArrowDown';
      if (i < 0) ls[down ? 0 : ls.length - 1].focus();
      else if (!down && i === 0) input.focus();
      else ls[Math.min(ls.length - 1, i + (down ? 1 : -1))].focus();
    } else if (ev.key === 'Escape') {
      if (!list.hidden) { ev.preventDefault(); close(); input.focus(); }
      else if (input.value) { input.value = ''; status.textContent = ''; }
    } else if ((ev.key === 'Home' || ev.key === 'End') && i > -1) {
      ev.preventDefault();
      ls[ev.key === 'Home' ? 0 : ls.length - 1].focus();
    }
  });
  form.addEventListener('focusout', function (ev) {
    if (!ev.relatedTarget || !form.contains(ev.relatedTarget)) setTimeout(function () {
      if (!form.contains(document.activeElement)) close();
    }, 0);
  });
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (form.hidden) return;
    if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !ev.altKey &&
        !(t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      ev.preventDefault();
      input.focus();
    }
  });
})();
