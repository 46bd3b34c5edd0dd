// propose.js - the duplicate check of the 出卷 form (src/web/intake.c) as
// one types. Without this file the form's 查重 button re-renders the page
// with the similar problems; with it the same list comes from GET
// /api/v1/problems/similar 300 ms after the last key (from 2 characters)
// into the same aria-live region, so screen readers hear it too. Safe to
// load more than once.
(function () {
  'use strict';

  var WAIT = 300, MIN = 2;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // One similar problem: "#12 标题", its batch and its state, as the
  // server draws it: a link to a public page, and to an open proposal's
  // page only for readers of proposals (internal).
  function item(p, internal) {
    var li = el('li'), text = '#' + p.id + ' ' + p.title, name;
    if (p.url && (internal || /\/problems\/\d+$/.test(p.url))) {
      name = el('a', '', text);
      name.href = p.url;
    } else {
      name = document.createTextNode(text);
    }
    li.appendChild(name);
    if (p.batch) {
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', 'muted', p.batch));
    }
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', 'state state-' + p.state, p.state_label || p.state));
    return li;
  }

  function init(form) {
    if (form.getAttribute('data-similar-ready')) return;
    form.setAttribute('data-similar-ready', '1');
    var title = form.querySelector('[data-similar-title]'), box = form.querySelector('[data-similar-live]');
    var src = form.getAttribute('data-similar-src'), internal = form.getAttribute('data-similar-internal') === '1';
    var timer = 0, asked = 0, last = null;
    if (!title || !box || !src) return;

    function show(items) {
      var fresh = document.createDocumentFragment(), list;
      if (!items.length) {
        fresh.appendChild(el('p', '', '没有找到相似的难题。'));
      } else {
        fresh.appendChild(el('p', '', '已有相似的难题，请先看看是否重复：'));
        list = el('ul');
        items.forEach(function (p) { list.appendChild(item(p, internal)); });
        fresh.appendChild(list);
      }
      box.replaceChildren(fresh);
    }

    function check() {
      var q = title.value.trim(), mine;
      if (Array.from(q).length < MIN) {
        last = null;
        box.replaceChildren();
        return;
      }
      if (q === last) return;
      last = q;
      mine = ++asked;
      fetch(src + '?title=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (j) { if (mine === asked) show(j.items || []); })
        .catch(function () { last = null; /* the 查重 button still works */ });
    }

    title.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(check, WAIT);
    });
  }

  function start() { document.querySelectorAll('form[data-similar-src]').forEach(init); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
