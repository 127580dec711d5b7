// "Check your security key": asks the key for a throw-away, non-discoverable credential and
// reports what the key says about itself. Nothing is sent to the portal.
(function () {
  function text(el, value) { el.textContent = value; return el; }

  function describe(result, credential) {
    var data = new Uint8Array(credential.response.getAuthenticatorData());
    var flags = data[32];
    var aaguid = Array.prototype.map.call(data.slice(37, 53), function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    var transports = credential.response.getTransports ? credential.response.getTransports() : [];
    var facts = {
      'Touch detected': (flags & 0x01) ? 'yes' : 'no',
      'PIN or biometric checked': (flags & 0x04) ? 'yes' : 'no',
      'Synced passkey': (flags & 0x10) ? 'yes (backed up)' : ((flags & 0x08) ? 'no, but it may sync' : 'no (device-bound)'),
      'Connection': transports.length ? transports.join(', ') : 'unknown',
      'Model id (AAGUID)': aaguid
    };
    result.className = 'result ok';
    result.replaceChildren(text(document.createElement('strong'), 'Your security key works with Latch.'));
    var list = document.createElement('dl');
    list.className = 'facts';
    Object.keys(facts).forEach(function (key) {
      list.appendChild(text(document.createElement('dt'), key));
      list.appendChild(text(document.createElement('dd'), facts[key]));
    });
    result.appendChild(list);
  }

  function explain(error) {
    if (!window.PublicKeyCredential) {
      return 'This browser does not support security keys. Use a current Chrome, Edge, Firefox or Safari.';
    }
    if (error && error.name === 'NotAllowedError') {
      return 'The key was not touched in time, or the request was cancelled. Try again and touch the key when it blinks.';
    }
    if (error && error.name === 'SecurityError') {
      return 'The browser refused: open the portal at its configured address (https in production).';
    }
    return 'The check failed: ' + (error && error.message ? error.message : 'unknown error') + '.';
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('key-check');
    var result = document.getElementById('key-check-result');
    button.addEventListener('click', function () {
      button.disabled = true;
      result.className = 'result';
      text(result, 'Touch your security key…');
      var options = {
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rp: { name: 'Latch', id: window.location.hostname },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'key-check', displayName: 'Key check' },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 }, { type: 'public-key', alg: -257 }],
          authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
          attestation: 'none',
          timeout: 60000
        }
      };
      Promise.resolve()
        .then(function () {
          if (!window.PublicKeyCredential) { throw null; }
          return navigator.credentials.create(options);
        })
        .then(function (credential) { describe(result, credential); })
        .catch(function (error) { result.className = 'result fail'; text(result, explain(error)); })
        .then(function () { button.disabled = false; });
    });
  });
})();
