// Applies the saved colour theme before the page paints, and wires the theme toggle.
(function () {
  var saved = null;
  try { saved = localStorage.getItem('latch-theme'); } catch (e) { /* storage disabled */ }
  if (saved === 'light' || saved === 'dark') {
    document.documentElement.setAttribute('data-theme', saved);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.getElementById('theme-toggle');
    if (!toggle) { return; }
    toggle.addEventListener('click', function () {
      var current = document.documentElement.getAttribute('data-theme') ||
        (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
      var next = current === 'dark' ? 'light' : 'dark';
      document.documentElement.setAttribute('data-theme', next);
      try { localStorage.setItem('latch-theme', next); } catch (e) { /* storage disabled */ }
    });
  });
})();
