// Shared page behaviour: navigation state, errors from htmx requests, and in-place step-up.
(function () {
  function toast(text) {
    var box = document.getElementById('toast');
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
  }

  function problemDetail(xhr) {
    try {
      var problem = JSON.parse(xhr.responseText);
      return problem.detail || problem.title;
    } catch (e) {
      return 'The request failed (' + xhr.status + '). Reload the page and try again.';
    }
  }

  // Countdowns to an expiry ("3 h 12 min"), refreshed every 30 s; the server renders the first value.
  function countdowns() {
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute('data-countdown')) - Date.now()) / 60000);
      var d = Math.floor(left / 1440), h = Math.floor((left % 1440) / 60), m = left % 60;
      el.textContent = left < 0 ? 'expired' : d > 0 ? d + ' d ' + h + ' h' : h > 0 ? h + ' h ' + m + ' min' : Math.max(1, m) + ' min';
    });
  }
  setInterval(countdowns, 30000);

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.nav a').forEach(function (link) {
      if (link.getAttribute('href') === window.location.pathname) {
        link.setAttribute('aria-current', 'page');
      }
    });

    // An action that needs a fresh key touch answers 428: ask for the touch, then repeat the action
    // without asking its confirmation question a second time.
    var replaying = null;
    document.body.addEventListener('htmx:confirm', function (event) {
      if (replaying && event.detail.elt === replaying) {
        event.preventDefault();
        replaying = null;
        event.detail.issueRequest(true);
      }
    });
    document.body.addEventListener('htmx:beforeSwap', function (event) {
      var xhr = event.detail.xhr;
      if (xhr.status !== 428 || !window.latchWebAuthn) { return; }
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      var config = event.detail.requestConfig;
      toast(problemDetail(xhr)); // names the action: "Touch your security key to remove a security key."
      latchWebAuthn.assert('/step-up/start', {}, '/step-up/finish')
        .then(function () {
          document.getElementById('toast').hidden = true;
          replaying = config.elt;
          htmx.ajax(config.verb.toUpperCase(), config.path, { source: config.elt, target: config.target });
        })
        .catch(function (error) { toast(latchWebAuthn.explain(error)); });
    });

    document.body.addEventListener('htmx:responseError', function (event) {
      if (event.detail.xhr.status === 428) { return; }
      toast(problemDetail(event.detail.xhr));
    });
    document.body.addEventListener('htmx:afterRequest', function (event) {
      if (event.detail.successful) {
        var box = document.getElementById('toast');
        if (box) { box.hidden = true; }
      }
    });
  });
})();

// Plain forms marked js-confirm ask before they submit (delete buttons); the server still decides.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.classList && form.classList.contains('js-confirm') && !window.confirm(form.getAttribute('data-confirm'))) {
    event.preventDefault();
  }
});

// Plain forms marked data-step-up (sensitive admin actions) get the key touch first, then submit
// with the same button; data-step-up="admin" asks only when the checkbox named admin is ticked.
// The server still refuses (428) an action without a fresh touch: this only saves a round trip.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute('data-step-up') || !window.latchWebAuthn) { return; }
  if (form.getAttribute('data-touched') === 'yes') { form.removeAttribute('data-touched'); return; }
  var only = form.getAttribute('data-step-up');
  if (only && !(form.elements[only] && form.elements[only].checked)) { return; }
  event.preventDefault();
  var submitter = event.submitter;
  var box = document.getElementById('toast');
  if (box) { box.textContent = 'Touch your security key to confirm.'; box.hidden = false; }
  latchWebAuthn.assert('/step-up/start', {}, '/step-up/finish')
    .then(function () {
      form.setAttribute('data-touched', 'yes');
      if (box) { box.hidden = true; }
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    })
    .catch(function (error) { if (box) { box.textContent = latchWebAuthn.explain(error); box.hidden = false; } });
});
