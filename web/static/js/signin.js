// Sign-in page: discoverable-credential sign-in, with a username-first fallback.
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('signin');
    var result = document.getElementById('signin-result');
    var next = box.getAttribute('data-next') || '/';
    function signIn(username, button) {
      button.disabled = true;
      latchWebAuthn.show(result, '', 'Touch your security key…');
      latchWebAuthn.assert('/signin/start', { username: username || null }, '/signin/finish', { next: next })
        .then(function (done) {
          latchWebAuthn.show(result, 'ok', 'Signed in.');
          window.location.assign(done.redirect || '/');
        })
        .catch(function (error) { latchWebAuthn.show(result, 'fail', latchWebAuthn.explain(error)); })
        .then(function () { button.disabled = false; });
    }
    var button = document.getElementById('signin-key');
    button.addEventListener('click', function () { signIn(null, button); });
    var form = document.getElementById('signin-username-form');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      signIn(document.getElementById('signin-username').value, form.querySelector('button'));
    });
  });
})();
