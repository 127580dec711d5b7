// Shared page behaviour. Keep this file small: pages load their own scripts for their own needs.
(function () {
  // Mark the current page in the main navigation.
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.nav a').forEach(function (link) {
      if (link.getAttribute('href') === window.location.pathname) {
        link.setAttribute('aria-current', 'page');
      }
    });
  });
})();
