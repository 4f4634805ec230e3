/* standpoint default theme: the reader tools of /matrix/ and question pages.
   Progressive enhancement: without this file the pages show the latest positions.
   - Time travel: a slider over the days on which a shown stance came into force.
     Every version of a stance is in the page with `data-from` (and `data-until`
     once replaced); the slider shows those in force on the chosen day.
   - The matrix's filter by actor kind. */
(function () {
  'use strict';

  /* The theme's words, in the page's language: standpoint.js reads them (English
     when it is not there). */
  var word = window.standpointWord || function (box, name, fallback, n) { return fallback.replace('{n}', n); };

  function all(root, css) { return Array.prototype.slice.call(root.querySelectorAll(css)); }

  function timeTravel(box) {
    var range = box.querySelector('input[type=range]');
    var out = box.querySelector('output');
    var status = box.querySelector('[data-asof-status]');
    var days = all(box, '.asof-days li').map(function (li) {
      return { day: li.getAttribute('data-day'), label: li.textContent };
    });
    if (!range || days.length < 2) return;
    var scope = box.closest('section, main') || document;
    var versions = all(scope, '[data-from]');

    function inForce(el, day) {
      var until = el.getAttribute('data-until');
      return el.getAttribute('data-from') <= day && (!until || until > day);
    }
    function apply(announce) {
      var d = days[+range.value];
      var shown = 0;
      versions.forEach(function (el) {
        el.hidden = !inForce(el, d.day);
        if (!el.hidden) shown++;
      });
      /* Matrix cells take the colour of the version they show. */
      all(scope, '[data-cell]').forEach(function (td) {
        var v = td.querySelector('[data-from]:not([hidden])');
        td.className = v ? v.getAttribute('data-class') : 'empty';
        td.querySelector('[data-asof-empty]').hidden = !!v;
      });
      /* Spectrum bands count their visible actors. */
      all(scope, '.band').forEach(function (band) {
        var n = all(band, '[data-from]:not([hidden])').length;
        var count = band.querySelector('[data-asof-count]');
        if (count && count.firstChild) count.firstChild.nodeValue = String(n);
        var empty = band.querySelector('[data-asof-empty]');
        if (empty) empty.hidden = n > 0;
      });
      var latest = +range.value === days.length - 1;
      out.textContent = d.label + (latest ? ' ' + word(box, 'latest', '(latest)') : '');
      range.setAttribute('aria-valuetext', out.textContent);
      if (announce) status.textContent = word(box, 'status', 'As of {date}: {n} positions shown.', shown, { date: d.label });
    }
    range.addEventListener('input', function () { apply(true); });
    box.hidden = false;
    apply(false);
  }

  function kindFilter(box) {
    var select = box.querySelector('select');
    var status = box.querySelector('[data-kind-status]');
    var table = document.getElementById(select.getAttribute('aria-controls'));
    if (!table) return;
    var rows = all(table, 'tbody tr[data-kind]');
    select.addEventListener('change', function () {
      var kind = select.value, n = 0;
      rows.forEach(function (tr) {
        tr.hidden = !!kind && tr.getAttribute('data-kind') !== kind;
        if (!tr.hidden) n++;
      });
      status.textContent = word(box, 'status', '{n} actors shown.', n);
    });
    box.hidden = false;
  }

  all(document, '[data-asof]').forEach(timeTravel);
  all(document, '[data-kind-filter]').forEach(kindFilter);
})();
