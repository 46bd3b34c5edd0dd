// picker.js - the person picker (src/web/widgets.c) filters as one types.
// Without this file the picker's 查找 button re-renders the page with the
// people found; with it the same search runs through GET /api/v1/persons
// and only the list of people changes. Safe to load more than once.
// A picker whose search fields sit in the form it posts (data-picker-find)
// is searched the same way.
(function () {
  'use strict';

  var LIMIT = 20;

  // "王广宁 · 县委宣传部 · 副部长" as a radio button named field.
  function choice(field, p) {
    var label = document.createElement('label'), input = document.createElement('input');
    var text = document.createElement('span'), more = document.createElement('span');
    label.className = 'check';
    input.type = 'radio';
    input.name = field;
    input.value = String(p.id);
    text.textContent = p.name + ' ';
    more.className = 'muted';
    more.textContent = '· ' + p.unit + (p.title ? ' · ' + p.title : '');
    text.appendChild(more);
    label.appendChild(input);
    label.appendChild(text);
    return label;
  }

  function statusText(n, more) {
    if (!n) return '没有找到符合条件的人员。';
    if (more) return '符合条件的人员超过 ' + LIMIT + ' 人，只列出前 ' + LIMIT + ' 人；请输入更完整的姓名或选择单位。';
    return '找到 ' + n + ' 人。';
  }

  function init(box) {
    if (box.getAttribute('data-picker-ready')) return;
    box.setAttribute('data-picker-ready', '1');
    var field = box.getAttribute('data-picker-field'), src = box.getAttribute('data-picker-src');
    var form = document.getElementById(box.getAttribute('data-picker-form'));
    var q = box.querySelector('[data-picker-q]'), unit = box.querySelector('[data-picker-unit]');
    var results = box.querySelector('[data-picker-results]'), status = box.querySelector('[data-picker-status]');
    var timer = 0, asked = 0;
    // What is checked when the page comes: checked again when the person
    // chosen drops out of the list, so the form never posts no choice.
    var fallback = box.querySelector('.choices > label input:checked');

    // Replace the people found, keeping the one checked if it is still there.
    function show(items, more) {
      var checked = results.querySelector('input:checked'), keep = checked ? checked.value : null;
      var fixed = {}, fresh = document.createDocumentFragment();
      box.querySelectorAll('.choices > label input').forEach(function (i) { fixed[i.value] = true; });
      items.forEach(function (p) {
        if (fixed[String(p.id)]) return;
        var c = choice(field, p);
        if (String(p.id) === keep) c.querySelector('input').checked = true;
        fresh.appendChild(c);
      });
      results.replaceChildren(fresh);
      if (fallback && !box.querySelector('input[type="radio"]:checked')) fallback.checked = true;
      status.textContent = statusText(items.length, more);
    }

    function search() {
      var mine = ++asked;
      var url = src + '?q=' + encodeURIComponent(q.value.trim()) + '&unit=' + encodeURIComponent(unit.value);
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (j) { if (mine === asked) show(j.items, j.more); })
        .catch(function () { /* the 查找 button still works */ });
    }

    q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    unit.addEventListener('change', search);
    if (form) form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); search(); });
    // A picker inside the form it posts (the claim form): its 查找 button
    // would post the whole form; search here instead, and Enter in the
    // name searches rather than submitting.
    var find = box.querySelector('[data-picker-find]');
    if (find) {
      find.addEventListener('click', function (e) { e.preventDefault(); clearTimeout(timer); search(); });
      q.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); search(); }
      });
    }
  }

  // Pickers added later (a row added by a script) are started by calling
  // window.jbPickers().
  function start() { document.querySelectorAll('[data-picker]').forEach(init); }
  window.jbPickers = start;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
