// Profile page: add another security key (after a step-up touch if the last one is stale).
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('add-key-form');
    var result = document.getElementById('add-key-result');
    function add(nickname) {
      return latchWebAuthn.register('/profile/keys/start', { nickname: nickname }, '/profile/keys/finish');
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      var nickname = document.getElementById('add-key-nickname').value;
      button.disabled = true;
      latchWebAuthn.show(result, '', 'Touch the new security key…');
      add(nickname)
        .catch(function (error) {
          if (!error.problem || error.problem.status !== 428) { throw error; }
          latchWebAuthn.show(result, '', 'First confirm it is you: touch a key you already registered…');
          return latchWebAuthn.assert('/step-up/start', {}, '/step-up/finish').then(function () {
            latchWebAuthn.show(result, '', 'Now touch the new security key…');
            return add(nickname);
          });
        })
        .then(function () {
          latchWebAuthn.show(result, 'ok', 'The new key is registered.');
          htmx.ajax('GET', '/profile/keys', { target: '#keys', swap: 'innerHTML' });
          form.reset();
        })
        .catch(function (error) { latchWebAuthn.show(result, 'fail', latchWebAuthn.explain(error)); })
        .then(function () { button.disabled = false; });
    });
  });
})();
