// Keyboard shortcuts for the console, as progressive enhancement: every page works without this.
// j/k move in the queue, Enter opens, r goes to the reply, / to the search, ? shows this list.
(function () {
  'use strict';
  var SHORTCUTS = [['j / k', '一覧で次 / 前の相談へ'], ['Enter', '選んだ相談を開く'], ['r', '回答欄へ移動'], ['/', '検索欄へ移動'], ['?', 'このヘルプを表示']];

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('table.queue tbody tr'));
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var current = all.findIndex(function (row) { return row.classList.contains('kbd-current'); });
    var next = Math.min(all.length - 1, Math.max(0, current + step));
    if (current >= 0) all[current].classList.remove('kbd-current');
    all[next].classList.add('kbd-current');
    var link = all[next].querySelector('a');
    if (link) link.focus();
  }

  function help() {
    var dialog = document.getElementById('kbd-help');
    if (!dialog) {
      dialog = document.createElement('dialog');
      dialog.id = 'kbd-help';
      dialog.className = 'kbd-help';
      dialog.setAttribute('aria-labelledby', 'kbd-help-title');
      var title = document.createElement('h2');
      title.id = 'kbd-help-title';
      title.textContent = 'キーボード操作';
      var list = document.createElement('dl');
      SHORTCUTS.forEach(function (s) {
        var dt = document.createElement('dt');
        var kbd = document.createElement('kbd');
        kbd.textContent = s[0];
        dt.appendChild(kbd);
        var dd = document.createElement('dd');
        dd.textContent = s[1];
        list.appendChild(dt);
        list.appendChild(dd);
      });
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = '閉じる';
      close.addEventListener('click', function () { dialog.close(); });
      dialog.appendChild(title);
      dialog.appendChild(list);
      dialog.appendChild(close);
      document.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var target;
    switch (event.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'Enter':
        target = document.querySelector('table.queue tr.kbd-current a');
        if (!target) return;
        target.click();
        break;
      case 'r':
        target = document.getElementById('reply-body');
        if (!target) return;
        target.focus();
        break;
      case '/':
        target = document.getElementById('q');
        if (!target) return;
        target.focus();
        break;
      case '?': help(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
