// A decision is a key touch over the request's content: start (the portal makes the challenge),
// touch, finish; then back to the request page, which shows the outcome.
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('decide');
    var result = document.getElementById('decision-result');
    var id = box.getAttribute('data-request');
    box.querySelectorAll('button[data-decision]').forEach(function (button) {
      button.addEventListener('click', function () {
        var decision = button.getAttribute('data-decision');
        var comment = document.getElementById('decision-comment').value;
        box.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        latchWebAuthn.show(result, '', 'Touch your security key to ' + decision + '…');
        latchWebAuthn.assert('/requests/' + id + '/decision/start', { decision: decision, comment: comment },
            '/requests/' + id + '/decision/finish')
          .then(function (done) { window.location.assign(done.redirect || '/requests/' + id); })
          .catch(function (error) {
            latchWebAuthn.show(result, 'fail', latchWebAuthn.explain(error));
            box.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
          });
      });
    });
  });
})();
