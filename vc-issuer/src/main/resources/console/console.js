// The Tabard issuer console: a thin face over the admin API (/admin/...). The admin token lives in one variable of
// this closure only (never storage or cookies), so reloading the page signs out. Every value from the server is
// written with textContent, never as HTML.
(function () {
  'use strict';

  var token = null;
  var currentAgent = null;

  function $(id) { return document.getElementById(id); }

  function show(el, visible) { el.hidden = !visible; }

  function clearMessages() { show($('error'), false); show($('notice'), false); }

  function showError(text) { $('error').textContent = text; show($('error'), true); show($('notice'), false); }

  function showNotice(text) { $('notice').textContent = text; show($('notice'), true); show($('error'), false); }

  function signOut(message) {
    token = null;
    currentAgent = null;
    show($('nav'), false);
    document.querySelectorAll('.view').forEach(function (v) { show(v, false); });
    ['agents', 'credentials', 'delegations', 'keys'].forEach(function (t) { $(t).tBodies[0].replaceChildren(); });
    show($('login'), true);
    if (message) { showError(message); } else { clearMessages(); }
  }

  // Calls the admin API with the token; resolves to the parsed JSON (null for 204), rejects with a readable message.
  function api(method, path, body) {
    var headers = { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' };
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      if (res.status === 204) { return null; }
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (res.ok) { return json; }
        var message = (json && (json.title || json.detail))
          ? (json.title || '') + (json.detail ? ': ' + json.detail : '') : 'HTTP ' + res.status;
        var err = new Error(message);
        err.status = res.status;
        throw err;
      });
    });
  }

  function failed(err) {
    if (err.status === 401) { signOut('Signed out: ' + err.message); return; }
    showError(err.message || String(err));
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (className) { td.className = className; }
    tr.appendChild(td);
    return td;
  }

  function button(label, className, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = className;
    b.addEventListener('click', onClick);
    return b;
  }

  function statusSpan(status) {
    var s = document.createElement('span');
    s.className = 'status status-' + status;
    s.textContent = status;
    return s;
  }

  function emptyRow(tbody, columns, text) {
    var tr = document.createElement('tr');
    var td = cell(tr, text, 'empty');
    td.colSpan = columns;
    tbody.appendChild(tr);
  }

  function agentPath(did) { return '/admin/agents/' + encodeURIComponent(did); }

  function view(name) {
    document.querySelectorAll('.view').forEach(function (v) { show(v, v.id === 'view-' + name); });
    document.querySelectorAll('#nav button[data-view]').forEach(function (b) {
      b.classList.toggle('current', b.dataset.view === name || (name === 'agent' && b.dataset.view === 'agents'));
    });
  }

  // Agents

  function renderAgents(list) {
    var tbody = $('agents').tBodies[0];
    tbody.replaceChildren();
    if (!list.length) { emptyRow(tbody, 5, 'No agents.'); return; }
    list.forEach(function (a) {
      var tr = document.createElement('tr');
      tr.dataset.did = a.id;
      var td = document.createElement('td');
      td.appendChild(button(a.id, 'link', function () { openAgent(a.id); }));
      tr.appendChild(td);
      cell(tr, a.name);
      cell(tr, a.operator ? a.operator.name + (a.operator.email ? ' <' + a.operator.email + '>' : '') : '');
      cell(tr, (a.capabilities || []).join(', '));
      cell(tr, '').appendChild(statusSpan(a.active ? 'active' : 'inactive'));
      tbody.appendChild(tr);
    });
  }

  function loadAgents() {
    var q = $('search').value.trim();
    var path = '/admin/agents?q=' + encodeURIComponent(q) + ($('active-only').checked ? '&active=true' : '');
    return api('GET', path).then(function (r) { renderAgents(r.agents); });
  }

  function register(event) {
    event.preventDefault();
    clearMessages();
    var operator = { name: $('reg-operator').value.trim() };
    if ($('reg-email').value.trim()) { operator.email = $('reg-email').value.trim(); }
    var caps = $('reg-capabilities').value.split(',').map(function (c) { return c.trim(); })
      .filter(function (c) { return c.length > 0; });
    var body = { did: $('reg-did').value.trim(), name: $('reg-name').value.trim(), operator: operator, capabilities: caps };
    api('POST', '/admin/agents', body).then(function (a) {
      $('register-form').reset();
      showNotice('Registered ' + a.name + ' (' + a.id + ').');
      return loadAgents();
    }).catch(failed);
  }

  // One agent

  function detail(dl, term, value) {
    var dt = document.createElement('dt');
    dt.textContent = term;
    var dd = document.createElement('dd');
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function openAgent(did) {
    clearMessages();
    api('GET', agentPath(did)).then(function (a) {
      currentAgent = a;
      $('agent-title').textContent = a.name;
      var dl = $('agent-details');
      dl.replaceChildren();
      detail(dl, 'DID', a.id);
      detail(dl, 'Operator', a.operator ? a.operator.name + (a.operator.email ? ' <' + a.operator.email + '>' : '') : '');
      detail(dl, 'Capabilities', (a.capabilities || []).join(', '));
      detail(dl, 'State', a.active ? 'active' : 'inactive');
      detail(dl, 'Registered', a.created);
      detail(dl, 'Updated', a.updated);
      $('deactivate').disabled = !a.active;
      $('offer').disabled = !a.active;
      $('offer-code').disabled = !a.active;
      $('issue').disabled = !a.active;
      show($('offer-result'), false);
      view('agent');
      return Promise.all([loadCredentials(), loadDelegations()]);
    }).catch(failed);
  }

  function credentialStatus(c) { return c.revoked ? 'revoked' : (c.suspended ? 'suspended' : 'active'); }

  function setStatus(id, action) {
    if (action === 'revoke' && !window.confirm('Revoke ' + id + '? A revocation is final.')) { return; }
    clearMessages();
    api('POST', '/admin/credentials/' + encodeURIComponent(id) + '/' + action).then(function () {
      showNotice('Credential ' + id + ': ' + action + ' done.');
      return loadCredentials();
    }).catch(failed);
  }

  function loadCredentials() {
    return api('GET', agentPath(currentAgent.id) + '/credentials').then(function (r) {
      var tbody = $('credentials').tBodies[0];
      tbody.replaceChildren();
      if (!r.credentials.length) { emptyRow(tbody, 5, 'No credentials issued.'); return; }
      r.credentials.forEach(function (c) {
        var status = credentialStatus(c);
        var tr = document.createElement('tr');
        tr.dataset.id = c.id;
        cell(tr, c.id, 'mono');
        cell(tr, c.issued);
        cell(tr, c.validUntil);
        cell(tr, '').appendChild(statusSpan(status));
        var actions = cell(tr, '');
        var revoke = button('Revoke', 'small danger', function () { setStatus(c.id, 'revoke'); });
        var suspend = button('Suspend', 'small', function () { setStatus(c.id, 'suspend'); });
        var reinstate = button('Reinstate', 'small', function () { setStatus(c.id, 'reinstate'); });
        revoke.disabled = c.revoked;
        suspend.disabled = c.revoked || c.suspended;
        reinstate.disabled = c.revoked || !c.suspended;
        revoke.dataset.action = 'revoke';
        suspend.dataset.action = 'suspend';
        reinstate.dataset.action = 'reinstate';
        actions.append(revoke, suspend, reinstate);
        tbody.appendChild(tr);
      });
    });
  }

  function loadDelegations() {
    return api('GET', agentPath(currentAgent.id) + '/delegations').then(function (r) {
      var tbody = $('delegations').tBodies[0];
      tbody.replaceChildren();
      if (!r.delegations.length) { emptyRow(tbody, 6, 'No registered delegations.'); return; }
      r.delegations.forEach(function (d) {
        var tr = document.createElement('tr');
        cell(tr, d.id, 'mono');
        cell(tr, d.delegator, 'mono');
        cell(tr, d.delegate, 'mono');
        cell(tr, (d.capabilities || []).join(', ') + (d.task ? ' (task: ' + d.task + ')' : ''));
        cell(tr, d.validUntil);
        cell(tr, '').appendChild(statusSpan(d.active ? 'active' : 'inactive'));
        tbody.appendChild(tr);
      });
    });
  }

  function offer(withCode) {
    clearMessages();
    api('POST', agentPath(currentAgent.id) + '/offer?qr=svg' + (withCode ? '&tx_code=true' : '')).then(function (r) {
      $('offer-url').value = r.offer_url;
      // the server drew the QR code; an SVG document is ASCII, so btoa encodes it as it is
      $('offer-qr').src = 'data:image/svg+xml;base64,' + window.btoa(r.offer_qr_svg);
      $('offer-code-value').textContent = r.tx_code || '';
      show($('offer-code-line'), Boolean(r.tx_code));
      show($('offer-result'), true);
    }).catch(failed);
  }

  function issueNow() {
    clearMessages();
    api('POST', agentPath(currentAgent.id) + '/credentials').then(function (r) {
      showNotice('Issued ' + r.id + '.');
      return loadCredentials();
    }).catch(failed);
  }

  function deactivate() {
    if (!window.confirm('Deactivate ' + currentAgent.id + '? It gets no more credentials.')) { return; }
    clearMessages();
    api('POST', agentPath(currentAgent.id) + '/deactivate').then(function () {
      showNotice('Deactivated ' + currentAgent.id + '.');
      openAgent(currentAgent.id);
    }).catch(failed);
  }

  // Keys and audit

  function loadKeys() {
    return api('GET', '/admin/keys').then(function (r) {
      var tbody = $('keys').tBodies[0];
      tbody.replaceChildren();
      r.keys.forEach(function (k) {
        var tr = document.createElement('tr');
        cell(tr, k.id, 'mono');
        cell(tr, k.type);
        cell(tr, k.state);
        cell(tr, k.created);
        cell(tr, k.retireAfter || '');
        tbody.appendChild(tr);
      });
    });
  }

  function verifyAudit() {
    clearMessages();
    api('GET', '/admin/audit/verify').then(function (r) {
      var dl = $('audit-result');
      dl.replaceChildren();
      detail(dl, 'Intact', r.intact ? 'yes' : 'NO');
      detail(dl, 'Entries', r.entries);
      detail(dl, 'Signed head', r.signedHeadSeq);
      if (r.problem) { detail(dl, 'Problem', r.problem); }
      detail(dl, 'Message', r.message);
    }).catch(failed);
  }

  function navigate(name) {
    clearMessages();
    if (name === 'agents') { view('agents'); loadAgents().catch(failed); }
    if (name === 'keys') { view('keys'); loadKeys().catch(failed); }
    if (name === 'audit') { view('audit'); $('audit-result').replaceChildren(); }
  }

  function signIn(event) {
    event.preventDefault();
    clearMessages();
    var given = $('token').value.trim();
    $('token').value = '';
    if (!given) { return; }
    token = given;
    // the agents list checks the token; a token of the revoke role alone cannot read it, but it still signs in
    api('GET', '/admin/agents').then(function (r) {
      renderAgents(r.agents);
      return true;
    }, function (err) {
      if (err.status === 403) { return true; }
      throw err;
    }).then(function () {
      show($('login'), false);
      show($('nav'), true);
      view('agents');
    }).catch(function (err) {
      signOut(err.status === 401 ? 'Sign-in failed: ' + err.message : err.message);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', signIn);
    $('logout').addEventListener('click', function () { signOut(null); });
    document.querySelectorAll('#nav button[data-view]').forEach(function (b) {
      b.addEventListener('click', function () { navigate(b.dataset.view); });
    });
    $('search-form').addEventListener('submit', function (e) { e.preventDefault(); clearMessages(); loadAgents().catch(failed); });
    $('register-form').addEventListener('submit', register);
    $('back').addEventListener('click', function () { navigate('agents'); });
    $('offer').addEventListener('click', function () { offer(false); });
    $('offer-code').addEventListener('click', function () { offer(true); });
    $('issue').addEventListener('click', issueNow);
    $('deactivate').addEventListener('click', deactivate);
    $('audit-verify').addEventListener('click', verifyAudit);
  });
}());
