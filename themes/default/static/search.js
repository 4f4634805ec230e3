/* standpoint default theme: full-text search with Pagefind. standpoint.js imports this
   module when the search box first gets focus. It loads pagefind/pagefind.js (written by
   `standpoint build`) from the site root, found from this file's own URL, and from then
   on answers the box's queries, listing results as standpoint.js does (same markup, so
   its keyboard handling applies). When Pagefind cannot load (`serve`, `search: false`,
   file://), it does nothing and standpoint.js's title search over search-index.json
   answers instead. */
const root = new URL('.', import.meta.url);
const form = document.querySelector('.site-search');
const NAMES = (form.getAttribute('data-t-kinds') || 'Actor|Question|Event|Page').split('|');
const KINDS = { actors: NAMES[0], questions: NAMES[1], events: NAMES[2] };
let pagefind = null;

try {
  pagefind = await import(new URL('pagefind/pagefind.js', root).href);
  await pagefind.options({ baseUrl: '/', excerptLength: 14 });
  await pagefind.init();
} catch (e) {
  pagefind = null;
}

function el(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text != null) n.textContent = text;
  return n;
}

/* Pagefind's excerpt is HTML with <mark> around the hits: keep the marks, as text. */
function excerpt(html) {
  const span = el('span', 'r-sub');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.body.childNodes.forEach((n) => {
    span.appendChild(n.nodeName === 'MARK' ? el('mark', null, n.textContent) : document.createTextNode(n.textContent));
  });
  return span;
}

function readable(path) {
  try { return decodeURI(path); } catch (e) { return path; }
}

/* The kind a result's path names, past the language's folder (`/fr/actors/...`). */
function kindOf(path) {
  const parts = path.replace(/^\//, '').split('/');
  if (parts[0] && parts[0] === document.documentElement.lang) parts.shift();
  return KINDS[parts[0]] || NAMES[3] || 'Page';
}

  /* The theme's words, in the page's language: standpoint.js (which imports this module) reads them. */
const word = window.standpointWord || ((box, name, fallback) => fallback);

function install() {
  const input = form.querySelector('input');
  const list = form.querySelector('.search-results');
  const status = form.querySelector('[role="status"]');
  let latest = 0;
  /* Its own few rules: style.css is on every page, and counts in the home page's budget. */
  document.head.appendChild(el('style', null,
    '.r-url{display:block;font-size:.78rem;color:var(--muted);overflow-wrap:anywhere}' +
    '.r-sub mark{background:none;color:var(--fg);font-weight:600}'));

  async function run() {
    const q = input.value.trim();
    const mine = ++latest;
    if (!q) {
      list.hidden = true;
      list.textContent = '';
      status.textContent = '';
      return;
    }
    const search = await pagefind.debouncedSearch(q, {}, 150);
    if (search === null || mine !== latest) return;
    const hits = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
    if (mine !== latest) return;
    list.textContent = '';
    if (!hits.length) list.appendChild(el('li', 'r-empty', word(form, 'no-matches', 'No matches.')));
    hits.forEach((h) => {
      const li = el('li');
      const a = el('a');
      a.href = new URL(h.url.replace(/^\//, ''), root).href;
      a.appendChild(el('span', 'r-kind', kindOf(h.url)));
      a.appendChild(el('span', 'r-title', (h.meta && h.meta.title) || h.url));
      a.appendChild(el('span', 'r-url', readable(a.pathname)));
      if (h.excerpt) a.appendChild(excerpt(h.excerpt));
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    status.textContent = hits.length
      ? word(form, 'results', '{n} results. Use the arrow keys to move through them.', hits.length)
      : word(form, 'no-results', 'No results.');
  }

  /* Capturing on the form runs before standpoint.js's listener on the input, which
     this stops: the title search answers only when Pagefind is not there. */
  let broken = false;
  form.addEventListener('input', (ev) => {
    if (broken) return;
    ev.stopImmediatePropagation();
    run().catch(() => {
      /* Pagefind failed (it answers a missing chunk with no results, but may throw):
         the title search takes over for good. */
      broken = true;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }, true);
  if (input.value) input.dispatchEvent(new Event('input', { bubbles: true }));
}

if (pagefind && form) install();
