// claim.js - the application form (src/web/claim_form.c) adds rows in the
// page. Without this file "添加一行" posts the form and the server shows it
// again with one more row; with it the row is made here from the list's
// <template> (its fields numbered __N__, its heading __M__) and the row
// count the server reads (<list>_rows) goes up. New person pickers are
// started by picker.js (window.jbPickers).
(function () {
  'use strict';

  function init(box) {
    if (box.getAttribute('data-rows-ready')) return;
    box.setAttribute('data-rows-ready', '1');
    var add = box.querySelector('[data-rows-add]'), tmpl = box.querySelector('template[data-rows-template]');
    var body = box.querySelector('[data-rows-body]'), count = box.querySelector('[data-rows-count]');
    var max = parseInt(box.getAttribute('data-rows-max'), 10) || 100;
    if (!add || !tmpl || !body || !count) return;

    add.addEventListener('click', function (e) {
      var n = parseInt(count.value, 10) || 0;
      e.preventDefault();
      if (n >= max) return;
      var html = tmpl.innerHTML.split('__N__').join(String(n)).split('__M__').join(String(n + 1));
      var holder = document.createElement('div');
      holder.innerHTML = html;
      var first = holder.firstElementChild;
      while (holder.firstChild) body.appendChild(holder.firstChild);
      count.value = String(n + 1);
      if (n + 1 >= max) add.hidden = true;
      if (window.jbPickers) window.jbPickers();
      var focus = first && first.querySelector('input:not([type="hidden"]), select, textarea');
      if (focus) focus.focus();
    });
  }

  function start() { document.querySelectorAll('[data-rows]').forEach(init); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
