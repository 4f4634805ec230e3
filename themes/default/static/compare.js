/* standpoint default theme: /compare/, two to four actors side by side, read from
   data.json. The choice lives in the query string (?a=joe-biden&b=olaf-scholz) so a
   comparison can be shared. Without this script the page says so and links to the
   matrix. */
(function () {
  'use strict';
  var me = document.currentScript;
  var root = new URL('.', me && me.src ? me.src : location.href);
  var form = document.querySelector('[data-compare-form]');
  var result = document.querySelector('[data-compare-result]');
  if (!form || !result) return;
  var status = form.querySelector('[data-compare-status]');
  var slots = ['a', 'b', 'c', 'd'];
  var data = null;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }
  /* data.json holds absolute URLs under the published base_url: link within this copy. */
  function local(url) {
    var base = (data.site && data.site.base_url) || '';
    return new URL(url.indexOf(base) === 0 ? url.slice(base.length) : url, root).href;
  }
  function fmtDate(s) {
    var p = String(s).split('-');
    if (p.length < 2) return s;
    try {
      var m = new Date(Date.UTC(+p[0], +p[1] - 1, 1))
        .toLocaleDateString(document.documentElement.lang || undefined, { month: 'long', timeZone: 'UTC' });
      return (p[2] ? +p[2] + ' ' : '') + m + ' ' + p[0];
    } catch (e) { return s; }
  }
  /* The theme's words, in the page's language: standpoint.js reads them (English
     when it is not there). */
  var word = window.standpointWord || function (box, name, fallback, n) { return fallback.replace('{n}', n); };

  function posClass(i, n) {
    var step = n > 1 ? Math.round(i * 4 / (n - 1)) : 2;
    return 'pos pos-s' + step + ' pos-' + i + '-of-' + n;
  }
  var SYMS = ['●', '◕', '◐', '◔', '○'];

  function chosen() {
    var seen = {};
    return slots.map(function (s) { return form.elements[s].value; })
      .filter(function (id) { if (!id || seen[id]) return false; seen[id] = true; return true; });
  }
  /* The current stance of each actor on each question: the one data.json marks. */
  function currentStances() {
    var by = {};
    data.stances.forEach(function (s) {
      if (s.current) by[s.actor + '\u0000' + s.question] = s;
    });
    return by;
  }

  function cell(stance, question) {
    if (!stance) {
      var td = el('td', 'empty');
      td.appendChild(el('span', null, '–')).setAttribute('aria-hidden', 'true');
      td.appendChild(el('span', 'visually-hidden', word(form, 'no-position', 'No recorded position')));
      return td;
    }
    var i = question.positions.findIndex(function (p) { return p.id === stance.position; });
    var n = question.positions.length;
    var step = n > 1 ? Math.round(i * 4 / (n - 1)) : 2;
    var td2 = el('td', posClass(i, n));
    var a = el('a');
    a.href = local(stance.actor_url);
    a.appendChild(el('span', 'sym', SYMS[step])).setAttribute('aria-hidden', 'true');
    a.appendChild(document.createTextNode(' '));
    a.appendChild(el('span', 'label', i >= 0 ? question.positions[i].label : stance.position));
    a.appendChild(document.createTextNode(' '));
    var t = el('time', null, fmtDate(stance.date));
    t.setAttribute('datetime', stance.date);
    a.appendChild(t);
    td2.appendChild(a);
    if (stance.summary) td2.appendChild(el('span', 'compare-summary', stance.summary));
    return td2;
  }

  function render() {
    var ids = chosen();
    var actors = ids.map(function (id) {
      return data.actors.find(function (a) { return a.id === id; });
    }).filter(Boolean);
    result.textContent = '';
    if (actors.length < 2) {
      result.appendChild(el('p', 'compare-hint', word(form, 'choose-two', 'Choose at least two actors to compare their positions.')));
      status.textContent = '';
      return;
    }
    var by = currentStances();
    var questions = data.questions.filter(function (q) {
      return actors.some(function (a) { return by[a.id + '\u0000' + q.id]; });
    });
    if (!questions.length) {
      result.appendChild(el('p', 'compare-hint', word(form, 'none-yet', 'None of these actors has a recorded position yet.')));
      status.textContent = word(form, 'nothing', 'No positions to compare.');
      return;
    }
    var scroll = el('div', 'matrix-scroll');
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('tabindex', '0');
    scroll.setAttribute('aria-labelledby', 'compare-caption');
    var table = el('table', 'matrix compare');
    var cap = table.appendChild(el('caption'));
    cap.id = 'compare-caption';
    var names = actors.map(function (a) { return a.name; }).join(', ');
    cap.appendChild(el('span', 'cap', word(form, 'caption', 'Latest positions of {names}', null, { names: names })));
    var head = table.appendChild(el('thead')).appendChild(el('tr'));
    head.appendChild(el('th', 'corner', word(form, 'question', 'Question'))).setAttribute('scope', 'col');
    actors.forEach(function (a) {
      var th = head.appendChild(el('th'));
      th.setAttribute('scope', 'col');
      var link = th.appendChild(el('a', null, a.name));
      link.href = local(a.url);
    });
    var body = table.appendChild(el('tbody'));
    questions.forEach(function (q) {
      var tr = body.appendChild(el('tr'));
      var th = tr.appendChild(el('th'));
      th.setAttribute('scope', 'row');
      th.appendChild(el('a', null, q.title)).href = local(q.url);
      actors.forEach(function (a) {
        var s = by[a.id + '\u0000' + q.id];
        if (s) s.actor_url = a.url;
        tr.appendChild(cell(s, q));
      });
    });
    scroll.appendChild(table);
    result.appendChild(scroll);
    status.textContent = word(form, 'status', 'Comparing {names} on {n} questions.', questions.length, { names: names });
  }

  function fromQuery() {
    var q = new URLSearchParams(location.search);
    slots.forEach(function (s) {
      var id = q.get(s) || '';
      var select = form.elements[s];
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === id; }) ? id : '';
    });
  }
  function toQuery() {
    var q = new URLSearchParams();
    chosen().forEach(function (id, i) { q.set(slots[i], id); });
    var s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }

  fetch(new URL('data.json', root).href)
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (d) {
      data = d;
      fromQuery();
      form.hidden = false;
      var note = document.querySelector('[data-compare-nojs]');
      if (note) note.hidden = true;
      form.addEventListener('change', function () { toQuery(); render(); });
      form.addEventListener('submit', function (e) { e.preventDefault(); toQuery(); render(); });
      render();
    })
    .catch(function () { /* Keep the note: the data could not be loaded (file://). */ });
})();
