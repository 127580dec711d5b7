// Browser side of Latch's WebAuthn ceremonies: start on the server, ask the key, finish on the
// server. Every call carries the page's CSRF token. Errors come back as RFC 9457 problem JSON and
// are shown as their "detail" text.
(function () {
  function csrfToken() {
    var headers = document.body.getAttribute('hx-headers');
    try { return JSON.parse(headers)['X-CSRF-Token']; } catch (e) { return ''; }
  }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { detail: 'The portal answered unexpectedly (' + response.status + ').' }; }
        if (!response.ok) {
          var error = new Error(data.detail || data.title || ('Request failed (' + response.status + ')'));
          error.problem = data;
          throw error;
        }
        return data;
      });
    });
  }

  // base64url <-> ArrayBuffer, for browsers without the JSON helpers of WebAuthn Level 3
  function fromB64(value) {
    var s = value.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var raw = atob(s), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }
  function toB64(buffer) {
    var bytes = new Uint8Array(buffer), s = '';
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) { return PublicKeyCredential.parseCreationOptionsFromJSON(json); }
    var o = Object.assign({}, json);
    o.challenge = fromB64(json.challenge);
    o.user = Object.assign({}, json.user, { id: fromB64(json.user.id) });
    o.excludeCredentials = (json.excludeCredentials || []).map(function (c) { return Object.assign({}, c, { id: fromB64(c.id) }); });
    return o;
  }
  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) { return PublicKeyCredential.parseRequestOptionsFromJSON(json); }
    var o = Object.assign({}, json);
    o.challenge = fromB64(json.challenge);
    o.allowCredentials = (json.allowCredentials || []).map(function (c) { return Object.assign({}, c, { id: fromB64(c.id) }); });
    return o;
  }
  function credentialJson(credential) {
    if (credential.toJSON) { return credential.toJSON(); }
    var r = credential.response, response = { clientDataJSON: toB64(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64(r.authenticatorData);
      response.signature = toB64(r.signature);
      if (r.userHandle) { response.userHandle = toB64(r.userHandle); }
    }
    return { type: credential.type, id: credential.id, rawId: toB64(credential.rawId), response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults() };
  }

  function explain(error) {
    if (error && error.name === 'NotAllowedError') { return 'The key was not touched in time, or the request was cancelled. Try again.'; }
    if (error && error.name === 'InvalidStateError') { return 'This security key is already registered.'; }
    if (error && error.name === 'SecurityError') { return 'The browser refused: open the portal at its configured address.'; }
    return (error && error.message) || 'Something went wrong. Try again.';
  }

  /** Runs a registration: start → navigator.credentials.create → finish. Resolves with the finish answer. */
  function register(startUrl, startBody, finishUrl) {
    return postJson(startUrl, startBody).then(function (started) {
      return navigator.credentials.create({ publicKey: creationOptions(started.publicKey) })
        .then(function (credential) {
          return postJson(finishUrl, { ceremonyId: started.ceremonyId, credential: credentialJson(credential) });
        });
    });
  }

  /** Runs an assertion (sign-in or step-up): start → navigator.credentials.get → finish. */
  function assert(startUrl, startBody, finishUrl, extra) {
    return postJson(startUrl, startBody).then(function (started) {
      var options = { publicKey: requestOptions(started.publicKey) };
      return navigator.credentials.get(options).then(function (credential) {
        return postJson(finishUrl, Object.assign({ ceremonyId: started.ceremonyId, credential: credentialJson(credential) }, extra || {}));
      });
    });
  }

  /** Shows a message in a status element: kind is 'ok', 'fail' or ''. */
  function show(element, kind, text) {
    element.className = 'result' + (kind ? ' ' + kind : '');
    element.textContent = text;
  }

  window.latchWebAuthn = { register: register, assert: assert, explain: explain, show: show, postJson: postJson };
})();
