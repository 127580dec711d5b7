// Step-up page: one touch, then back to where the person was going.
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('step-up');
    var result = document.getElementById('step-up-result');
    button.addEventListener('click', function () {
      button.disabled = true;
      latchWebAuthn.show(result, '', 'Touch your security key…');
      latchWebAuthn.assert('/step-up/start', {}, '/step-up/finish', { next: button.getAttribute('data-next') })
        .then(function (done) { window.location.assign(done.redirect || '/'); })
        .catch(function (error) { latchWebAuthn.show(result, 'fail', latchWebAuthn.explain(error)); button.disabled = false; });
    });
  });
})();
