// Enrolment page: register a security key against a one-time link.
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('enrol-form');
    if (!form) { return; }
    var result = document.getElementById('enrol-result');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      var data = {};
      new FormData(form).forEach(function (value, key) { data[key] = value; });
      button.disabled = true;
      latchWebAuthn.show(result, '', 'Touch your security key…');
      latchWebAuthn.register('/enrol/' + form.getAttribute('data-token') + '/start', data, '/enrol/finish')
        .then(function (done) {
          latchWebAuthn.show(result, 'ok', 'Your key is registered. Signing you in…');
          window.location.assign(done.redirect || '/');
        })
        .catch(function (error) { latchWebAuthn.show(result, 'fail', latchWebAuthn.explain(error)); button.disabled = false; });
    });
  });
})();
