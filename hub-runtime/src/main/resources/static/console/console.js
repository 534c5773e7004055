/*
 * OmniHub console: plain JavaScript over the hub's JSON API, with the session cookie of the login
 * form. Every change echoes the session's CSRF token. Text from the hub is only ever set as text,
 * never as HTML.
 */
'use strict';

(function () {
  const page = document.getElementById('page');
  const notice = document.getElementById('notice');
  const BOARD_REFRESH_MS = 3000;
  const state = { session: null, refresh: null, boardRendered: false };
  /** Where the console's other scripts (connectors.js, automation.js, demo.js) plug in. */
  const extensions = {
    /** Functions of the customer shown, each appending a section to #customer. */
    customerSections: [],
    /** Functions run once the session is known, before the first page. */
    onStart: []
  };

  // ---------------------------------------------------------------- helpers

  /** An element with attributes (class, text, on*, data-*, anything else) and children. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function badge(value) {
    return value ? el('span', { class: 'badge ' + value, text: value }) : el('span', { class: 'muted', text: '–' });
  }

  function when(instant) {
    if (!instant) return '–';
    const date = new Date(instant);
    return isNaN(date) ? String(instant) : date.toLocaleString();
  }

  function ago(instant) {
    if (!instant) return '';
    const seconds = Math.max(0, Math.round((Date.now() - new Date(instant).getTime()) / 1000));
    if (seconds < 60) return seconds + ' s ago';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    return Math.round(seconds / 3600) + ' h ago';
  }

  function show(message, ok) {
    notice.hidden = !message;
    notice.textContent = message || '';
    notice.className = 'notice' + (ok ? ' ok' : '');
  }

  class ApiError extends Error {
    constructor(status, detail, problem) {
      super(detail);
      this.status = status;
      this.problem = problem;
    }
  }

  /** Calls the API with the session cookie; changes carry the CSRF token. */
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    const options = { method, headers, credentials: 'same-origin' };
    if (method !== 'GET' && state.session && state.session.csrf) {
      headers[state.session.csrf.header] = state.session.csrf.token;
    }
    if (body instanceof FormData || body instanceof Blob) {
      // A Blob carries its own type (YAML definitions): fetch sends it as the Content-Type.
      options.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    if (response.status === 401) {
      window.location.href = '/login';
      throw new ApiError(401, 'logged out');
    }
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : (response.status === 204 ? null : await response.text());
    if (!response.ok) {
      const detail = data && data.detail ? data.detail : (response.status + ' ' + response.statusText);
      throw new ApiError(response.status, detail, data);
    }
    return data;
  }

  function may(role) {
    return !!state.session && state.session.roles.includes(role);
  }

  /** A button that runs an API call, shows its outcome, then re-renders the page. */
  function action(label, run, options) {
    const opts = options || {};
    return el('button', {
      class: opts.class, 'data-action': opts.name || label.toLowerCase(), title: opts.title,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          const message = await run();
          show(message || '', true);
        } catch (error) {
          show(error.message, false);
        } finally {
          button.disabled = false;
          route();
        }
      }
    }, label);
  }

  function path(...parts) {
    return parts.map(encodeURIComponent).join('/');
  }

  // ---------------------------------------------------------------- board

  async function boardPage() {
    page.replaceChildren(
      el('h1', { text: 'Route health' }),
      el('div', { class: 'summary', id: 'board-summary' }, 'Loading…'),
      el('table', { id: 'board' },
        el('thead', {}, el('tr', {},
          el('th', { text: 'Instance' }), el('th', { text: 'State' }), el('th', { text: 'Events/min' }),
          el('th', { text: 'Error rate' }), el('th', { text: 'p95 latency' }), el('th', { text: 'Last error' }),
          el('th', { text: 'Circuit' }), el('th', { text: 'Dead letters' }), el('th', { text: '' }))),
        el('tbody', {})),
      el('h2', { text: 'Pipeline routes' }),
      el('table', { id: 'routes' },
        el('thead', {}, el('tr', {}, el('th', { text: 'Route' }), el('th', { text: 'Status' }), el('th', { text: 'Consumes' }))),
        el('tbody', {})));
    await refreshBoard();
  }

  async function refreshBoard() {
    let board;
    try {
      board = await api('GET', '/api/v1/board');
    } catch (error) {
      show('Board: ' + error.message, false);
      scheduleBoard();
      return;
    }
    const table = document.getElementById('board');
    if (!table) return;
    const rows = board.instances.map(boardRow);
    table.tBodies[0].replaceChildren(...(rows.length ? rows
      : [el('tr', {}, el('td', { colspan: 9, class: 'empty', text: 'No connector instances are configured.' }))]));
    const running = board.instances.filter((row) => row.state === 'RUNNING').length;
    const failing = board.instances.filter(isFailing).length;
    document.getElementById('board-summary').replaceChildren(
      el('span', {}, el('b', { text: board.instances.length }), ' instances'),
      el('span', {}, el('b', { text: running }), ' running'),
      el('span', { id: 'failing-count' }, el('b', { text: failing }), ' failing'),
      el('span', {}, el('b', { text: board.deadLetters }), ' dead letters'),
      el('span', { id: 'node-count', title: board.nodes.map((n) => n.nodeId).join(', ') },
        el('b', { text: board.nodes.length }), board.nodes.length === 1 ? ' hub node' : ' hub nodes'),
      el('span', { class: 'muted', text: 'updated ' + new Date(board.generatedAt).toLocaleTimeString() + ' by ' + board.node }));
    document.getElementById('routes').tBodies[0].replaceChildren(...board.routes.map((r) =>
      el('tr', { 'data-route': r.id }, el('td', { class: 'mono', text: r.id }), el('td', {}, badge(r.status)),
        el('td', { class: 'mono', text: r.from }))));
    if (!state.boardRendered) {
      state.boardRendered = true;
      // The figure docs/console.md quotes: navigation start to the first full board on screen.
      performance.mark('board-rendered');
      document.body.dataset.boardRows = String(rows.length);
    }
    scheduleBoard();
  }

  function scheduleBoard() {
    clearTimeout(state.refresh);
    state.refresh = setTimeout(() => { if (currentPage() === 'board') refreshBoard(); }, BOARD_REFRESH_MS);
  }

  function isFailing(row) {
    return row.state === 'FAILED' || row.circuitBreaker === 'OPEN' || row.errorRate > 0;
  }

  function boardRow(row) {
    const id = row.connector + '/' + row.instance;
    const base = '/api/v1/connectors/' + path(row.connector) + '/instances/' + path(row.instance);
    const actions = el('div', { class: 'actions' });
    if (may('operator')) {
      if (row.state === 'RUNNING') actions.append(action('Pause', async () => { await api('POST', base + '/pause'); return id + ' paused'; }));
      if (row.state === 'PAUSED' || row.state === 'STOPPED') actions.append(action('Resume', async () => { await api('POST', base + '/resume'); return id + ' resumed'; }));
      actions.append(action('Restart', async () => { await api('POST', base + '/restart'); return id + ' restarted'; }));
      if (row.state !== 'STOPPED') actions.append(action('Stop', async () => { await api('POST', base + '/stop'); return id + ' stopped'; }, { class: 'danger' }));
      if (row.state === 'RUNNING' || row.state === 'PAUSED') actions.append(action('Check', async () => { await api('POST', base + '/check'); return 'check of ' + id + ' started'; }));
    }
    const restart = row.nextRestartAt ? el('div', { class: 'muted', text: 'restart #' + (row.restarts + 1) + ' at ' + new Date(row.nextRestartAt).toLocaleTimeString() }) : null;
    const warnings = (row.warnings || []).length
      ? el('div', { class: 'warning', 'data-col': 'warnings', title: row.warnings.join('\n') }, '⚠ ' + row.warnings.join('; '))
      : null;
    return el('tr', { 'data-instance': id, class: isFailing(row) ? 'failing' : null },
      el('td', { 'data-col': 'instance' }, el('span', { class: 'mono', text: id }), warnings),
      el('td', { 'data-col': 'state' }, badge(row.state), el('div', { class: 'muted', text: ago(row.since) }), restart),
      el('td', { class: 'num', 'data-col': 'events', text: row.eventsPerMinute }),
      el('td', { class: 'num', 'data-col': 'error-rate', text: (row.errorRate * 100).toFixed(1) + ' %' }),
      el('td', { class: 'num', 'data-col': 'p95', text: row.p95LatencyMillis == null ? '–' : Math.round(row.p95LatencyMillis) + ' ms' }),
      el('td', { class: 'error', 'data-col': 'last-error' }, row.lastError || '', row.lastErrorAt ? el('div', { class: 'muted', text: ago(row.lastErrorAt) }) : null),
      el('td', { 'data-col': 'circuit' }, badge(row.circuitBreaker)),
      el('td', { class: 'num', 'data-col': 'dlq' }, row.deadLetters
        ? el('a', { href: '#/dead-letters?connector=' + encodeURIComponent(row.connector) + '&instance=' + encodeURIComponent(row.instance), text: row.deadLetters })
        : '0'),
      el('td', {}, actions));
  }

  // ---------------------------------------------------------------- plugins

  async function pluginsPage() {
    const plugins = await api('GET', '/api/v1/plugins');
    const upload = may('admin') ? el('form', {
      class: 'toolbar', id: 'plugin-upload',
      onsubmit: async (event) => {
        event.preventDefault();
        const file = document.getElementById('plugin-file').files[0];
        if (!file) { show('Choose a plugin JAR first', false); return; }
        const form = new FormData();
        form.append('file', file);
        try {
          const installed = await api('POST', '/api/v1/plugins', form);
          show('Installed ' + installed.id + ' ' + (installed.version || '') + ': ' + installed.state, true);
        } catch (error) {
          show('Upload refused: ' + error.message, false);
        }
        route();
      }
    }, el('input', { type: 'file', id: 'plugin-file', accept: '.jar' }), el('button', { class: 'primary', type: 'submit', text: 'Upload plugin' })) : null;
    page.replaceChildren(
      el('h1', { text: 'Plugins' }),
      upload,
      el('table', { id: 'plugins' },
        el('thead', {}, el('tr', {}, ['Plugin', 'Version', 'State', 'Connectors', 'SDK', 'SHA-256', 'Why not started', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(plugins.length ? plugins.map(pluginRow)
          : [el('tr', {}, el('td', { colspan: 8, class: 'empty', text: 'No plugin JARs in the plugins folder.' }))]))));
  }

  function pluginRow(plugin) {
    const base = '/api/v1/plugins/' + path(plugin.id);
    const actions = el('div', { class: 'actions' });
    const loaded = plugin.state !== 'FAILED' && plugin.state !== 'REFUSED';
    if (loaded && may('operator')) {
      if (plugin.state === 'STARTED') {
        actions.append(action('Stop', async () => { await api('POST', base + '/stop'); return plugin.id + ' stopped'; }));
        actions.append(action('Disable', async () => { await api('POST', base + '/disable'); return plugin.id + ' disabled'; }, { class: 'danger' }));
      } else {
        actions.append(action('Start', async () => { await api('POST', base + '/start'); return plugin.id + ' started'; }));
      }
      if (may('admin')) actions.append(action('Reload', async () => { await api('POST', base + '/reload'); return plugin.id + ' reloaded'; }));
    }
    return el('tr', { 'data-plugin': plugin.id },
      el('td', { class: 'mono', text: plugin.id }, el('div', { class: 'muted', text: plugin.file })),
      el('td', { text: plugin.version || '–' }),
      el('td', {}, badge(plugin.state)),
      el('td', { class: 'mono', text: (plugin.connectors || []).join(', ') || '–' }),
      el('td', { class: 'mono', text: plugin.requires || '*' }),
      el('td', { class: 'mono', title: plugin.sha256, text: plugin.sha256 ? plugin.sha256.substring(0, 16) + '…' : '–' }),
      el('td', { class: 'error', text: plugin.reason || '' }),
      el('td', {}, actions));
  }

  // ---------------------------------------------------------------- dead letters

  async function deadLettersPage(query) {
    const filter = {
      connector: query.get('connector') || '', instance: query.get('instance') || '',
      stage: query.get('stage') || '', error: query.get('error') || ''
    };
    const params = new URLSearchParams({ limit: '200' });
    Object.entries(filter).forEach(([k, v]) => { if (v) params.set(k, v); });
    const dlq = await api('GET', '/api/v1/dlq?' + params);
    const input = (name, placeholder) => el('input', { name, placeholder, value: filter[name] });
    const stages = ['', 'ingress', 'api', 'normalize', 'enrich', 'core', 'dispatch', 'broker'];
    const filterForm = el('form', {
      class: 'toolbar', id: 'dlq-filter',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new URLSearchParams();
        new FormData(event.target).forEach((v, k) => { if (v) data.set(k, v); });
        window.location.hash = '#/dead-letters' + (data.toString() ? '?' + data : '');
      }
    }, input('connector', 'connector'), input('instance', 'instance'),
      el('select', { name: 'stage' }, ...stages.map((s) => el('option', { value: s, selected: s === filter.stage, text: s || 'any stage' }))),
      input('error', 'error contains'), el('button', { type: 'submit', text: 'Filter' }));
    const replaySelected = may('operator') ? action('Replay selected', async () => {
      const ids = [...document.querySelectorAll('#dead-letters input[type=checkbox]:checked')].map((box) => box.value);
      if (!ids.length) throw new Error('select dead letters first');
      const outcomes = await api('POST', '/api/v1/dlq/replay', { ids });
      const done = outcomes.filter((o) => o.replayed).length;
      const problems = outcomes.filter((o) => !o.replayed).map((o) => o.problem);
      if (problems.length) throw new Error(done + ' replayed; not replayed: ' + problems.join('; '));
      return done + ' replayed';
    }, { name: 'replay-selected' }) : null;
    page.replaceChildren(
      el('h1', { text: 'Dead letters' }),
      el('div', { class: 'summary' },
        el('span', {}, el('b', { id: 'dlq-depth', text: dlq.depth }), ' parked'),
        el('span', {}, el('b', { id: 'dlq-matching', text: dlq.matching }), ' match')),
      filterForm,
      el('div', { class: 'toolbar' }, replaySelected),
      el('table', { id: 'dead-letters' },
        el('thead', {}, el('tr', {}, ['', 'First failed', 'Stage', 'Instance', 'Error', 'Attempts', 'Payload (masked)', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(dlq.messages.length ? dlq.messages.map(deadLetterRow)
          : [el('tr', {}, el('td', { colspan: 8, class: 'empty', text: 'Nothing is parked.' }))]))),
      el('div', { id: 'dead-letter-detail' }));
  }

  function deadLetterRow(letter) {
    const base = '/api/v1/dlq/' + path(letter.messageId);
    const actions = el('div', { class: 'actions' },
      el('button', { 'data-action': 'show', onclick: () => showDeadLetter(letter.messageId), text: 'Show' }));
    if (may('operator') && letter.stage !== 'ingress') {
      actions.append(action('Replay', async () => {
        const outcome = await api('POST', base + '/replay');
        return 'Replayed to ' + outcome.queue;
      }));
    }
    return el('tr', { 'data-message': letter.messageId, 'data-stage': letter.stage },
      el('td', {}, el('input', { type: 'checkbox', value: letter.messageId, 'aria-label': 'select' })),
      el('td', { text: when(letter.firstFailureAt) }),
      el('td', {}, el('span', { class: 'badge', text: letter.stage })),
      el('td', { class: 'mono', text: (letter.connector || '?') + '/' + (letter.instance || '?') }),
      el('td', { class: 'error' }, el('b', { text: letter.errorClass }), ' ', letter.errorMessage),
      el('td', { class: 'num', text: letter.attempts }),
      el('td', { class: 'mono wrap', text: (letter.payloadPreview || '').substring(0, 160) }),
      el('td', {}, actions));
  }

  async function showDeadLetter(messageId) {
    const holder = document.getElementById('dead-letter-detail');
    try {
      const detail = await api('GET', '/api/v1/dlq/' + path(messageId));
      const reason = el('input', { id: 'discard-reason', placeholder: 'why discard it (kept in the audit)', size: 40 });
      const discard = may('operator') ? el('form', {
        class: 'toolbar',
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            await api('POST', '/api/v1/dlq/' + path(messageId) + '/discard', { reason: reason.value });
            show('Discarded ' + messageId, true);
          } catch (error) {
            show(error.message, false);
          }
          route();
        }
      }, reason, el('button', { type: 'submit', class: 'danger', text: 'Discard' })) : null;
      holder.replaceChildren(el('div', { class: 'panel', id: 'dead-letter-panel' },
        el('h2', { text: 'Dead letter ' + messageId }),
        el('dl', { class: 'kv' },
          el('dt', { text: 'Stage' }), el('dd', { text: detail.summary.stage }),
          el('dt', { text: 'Error' }), el('dd', { text: detail.summary.errorClass + ': ' + detail.summary.errorMessage }),
          el('dt', { text: 'Replays to' }), el('dd', { text: detail.replayTo || ('cannot be replayed: ' + detail.replayRefusal) }),
          el('dt', { text: 'Size' }), el('dd', { text: detail.payloadBytes + ' bytes' + (detail.payloadTruncated ? ' (shown cut)' : '') })),
        el('h2', { text: 'Properties' }),
        el('pre', { class: 'mono', text: Object.entries(detail.properties).map(([k, v]) => k + ' = ' + v).join('\n') }),
        el('h2', { text: 'Payload (personal data masked)' }),
        el('pre', { class: 'mono', id: 'dead-letter-payload', text: detail.payload }),
        discard));
    } catch (error) {
      show(error.message, false);
    }
  }

  // ---------------------------------------------------------------- customers

  /**
   * "show personal data": the hub masks every customer answer, so the console asks it to reveal
   * this one customer, with the reason the operator gives (the hub audits it). Without the reveal
   * permission the hub answers 403 and the page says so.
   */
  function revealToggle(customerId) {
    const dialog = el('dialog', { id: 'reveal-dialog' },
      el('form', {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          const reason = event.target.elements.reason.value.trim();
          if (!reason) return;
          dialog.close();
          try {
            const revealed = await api('POST', '/api/v1/customers/' + path(customerId) + '/reveal', { reason });
            renderCustomer(revealed);
            extensions.customerSections.forEach((section) => section(revealed));
            document.getElementById('reveal').checked = true;
            show('Personal data shown for this customer; the reveal is in the privacy audit.', true);
          } catch (error) {
            checkbox.checked = false;
            show(error.status === 403 ? 'You may not reveal personal data: an admin grants the reveal permission.'
              : 'Not revealed: ' + error.message, false);
          }
        }
      },
      el('h2', { text: 'Why do you need this customer\'s personal data?' }),
      el('p', { class: 'muted', text: 'The reason is kept in the privacy audit with your name.' }),
      el('input', { name: 'reason', id: 'reveal-reason', size: 50, required: true, placeholder: 'e.g. ticket 4711: customer asked to correct the address' }),
      el('div', { class: 'toolbar' },
        el('button', { type: 'submit', class: 'primary', id: 'reveal-confirm', text: 'Show personal data' }),
        el('button', { type: 'button', id: 'reveal-cancel', text: 'Cancel', onclick: () => { dialog.close(); checkbox.checked = false; } }))));
    const checkbox = el('input', {
      type: 'checkbox', id: 'reveal',
      onchange: (event) => {
        if (event.target.checked) {
          dialog.showModal();
        } else {
          route();
        }
      }
    });
    return el('label', {}, checkbox, ' show personal data', dialog);
  }

  async function customersPage(query) {
    const lookup = query.get('q') || '';
    const namespace = query.get('namespace') || '';
    const form = el('form', {
      class: 'toolbar', id: 'customer-lookup',
      onsubmit: (event) => {
        event.preventDefault();
        const data = new URLSearchParams();
        new FormData(event.target).forEach((v, k) => { if (v) data.set(k, v); });
        window.location.hash = '#/customers?' + data;
      }
    }, el('input', { name: 'q', value: lookup, size: 40, placeholder: 'profile id, or type:value (phone:+8613912345678)' }),
      el('input', { name: 'namespace', value: namespace, placeholder: 'namespace (appid)' }),
      el('button', { type: 'submit', class: 'primary', text: 'Look up' }));
    page.replaceChildren(el('h1', { text: 'Customer 360' }), form, el('div', { id: 'customer' }));
    if (!lookup) return;
    let customer;
    try {
      if (lookup.includes(':')) {
        const params = new URLSearchParams({ identity: lookup });
        if (namespace) params.set('namespace', namespace);
        customer = await api('GET', '/api/v1/customers?' + params);
      } else {
        customer = await api('GET', '/api/v1/customers/' + path(lookup));
      }
    } catch (error) {
      document.getElementById('customer').replaceChildren(el('div', { class: 'empty', text: error.message }));
      return;
    }
    form.append(revealToggle(customer.id));
    renderCustomer(customer);
    extensions.customerSections.forEach((section) => section(customer));
  }

  function renderCustomer(c) {
    const attributes = Object.entries(c.attributes || {});
    const scores = Object.entries(c.scores || {});
    const orders = c.orders || { count: 0, totalMinorByCurrency: {} };
    const totals = Object.entries(orders.totalMinorByCurrency || {}).map(([cur, minor]) => (minor / 100).toFixed(2) + ' ' + cur).join(', ');
    document.getElementById('customer').replaceChildren(
      el('div', { class: 'panel' },
        el('h2', { text: 'Customer ' + c.id }),
        el('div', { class: 'muted', text: 'since ' + when(c.createdAt) + ((c.mergedIds || []).length ? ' · merged: ' + c.mergedIds.join(', ') : '') })),
      el('div', { class: 'grid' },
        el('div', { class: 'panel' }, el('h2', { text: 'Identities' }), identityGraph(c)),
        el('div', { class: 'panel' },
          el('h2', { text: 'Profile' }),
          attributes.length ? el('dl', { class: 'kv', id: 'attributes' }, ...attributes.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : v })]))
            : el('div', { class: 'muted', id: 'attributes', text: 'no attributes yet' }),
          el('h2', { text: 'Tags' }),
          (c.tags || []).length ? el('div', { class: 'tags', id: 'tags' }, ...c.tags.map((t) => el('span', { text: t }))) : el('div', { class: 'muted', id: 'tags', text: 'none' }),
          el('h2', { text: 'Scores' }),
          scores.length ? el('dl', { class: 'kv', id: 'scores' }, ...scores.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]))
            : el('div', { class: 'muted', id: 'scores', text: 'none' }),
          el('h2', { text: 'Orders and consent' }),
          el('dl', { class: 'kv' },
            el('dt', { text: 'Orders' }), el('dd', { text: orders.count + (totals ? ' · ' + totals : '') }),
            el('dt', { text: 'Cross-channel linking' }), el('dd', { text: consentText(c.consent, 'crossChannelLinking') }),
            el('dt', { text: 'Marketing' }), el('dd', { text: consentText(c.consent, 'marketing') })))),
      el('h2', { text: 'Identities' }),
      el('table', { id: 'identities' },
        el('thead', {}, el('tr', {}, ['Type', 'Value', 'Namespace', 'Evidence', 'Source', 'Last seen'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(c.identities || []).map((i) => el('tr', { 'data-type': i.type },
          el('td', { text: i.type }), el('td', { class: 'mono', text: i.value }), el('td', { class: 'mono', text: i.namespace || '' }),
          el('td', { 'data-col': 'evidence', text: i.evidence || 'not stated' }),
          el('td', { class: 'mono', 'data-col': 'source', text: i.source || '' }), el('td', { text: when(i.lastSeenAt) }))))),
      el('h2', { text: 'Merge history' }),
      el('div', { id: 'merges' }, el('div', { class: 'muted', text: 'loading…' })),
      el('h2', { text: 'Timeline' }),
      el('table', { id: 'timeline' },
        el('thead', {}, el('tr', {}, ['When', 'Event', 'Source', 'Summary'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(c.timeline || []).map((t) => el('tr', {},
          el('td', { text: when(t.time) }), el('td', { text: t.type }), el('td', { class: 'mono', text: t.source }),
          el('td', { class: 'mono wrap', text: JSON.stringify(t.summary || {}) }))))));
    renderMerges(c.id);
  }

  /** Each merge of the profile: the event behind it, the identifiers that joined and their evidence, undo. */
  async function renderMerges(customerId) {
    const box = document.getElementById('merges');
    let merges;
    try {
      merges = await api('GET', '/api/v1/customers/' + path(customerId) + '/merges');
    } catch (error) {
      box.replaceChildren(el('div', { class: 'empty', text: error.message }));
      return;
    }
    const canUndo = may('operator');
    box.replaceChildren(merges.length ? el('table', { id: 'merge-history' },
      el('thead', {}, el('tr', {}, ['When', 'Kept', 'Merged', 'Why', 'Joined by', 'Status', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...merges.map((m) => el('tr', { 'data-merge': m.id },
        el('td', { text: when(m.mergedAt) }),
        el('td', { class: 'mono', text: m.survivingId }),
        el('td', { class: 'mono', text: m.mergedId }),
        el('td', { class: 'wrap', text: m.reason }),
        el('td', { class: 'wrap joined' }, ...(m.joined || []).map((j) => el('div', { class: 'mono' },
          j.type + (j.namespace ? '@' + j.namespace : '') + ' ' + j.value + ' · ' + (j.evidence || 'not stated') + ' · ' + j.side))),
        el('td', { text: m.undoneAt ? 'undone ' + when(m.undoneAt) + (m.undoneReason ? ' (' + m.undoneReason + ')' : '') : 'in force' }),
        el('td', {}, !m.undoneAt && canUndo ? el('button', {
          class: 'undo', text: 'Undo',
          onclick: async (event) => {
            event.target.disabled = true;
            try {
              await api('POST', '/api/v1/customers/' + path(customerId) + '/merges/' + path(m.id) + '/undo', { reason: 'from the console' });
              show('Merge undone: the two profiles are apart and stay apart.', true);
              route();
            } catch (error) {
              event.target.disabled = false;
              show(error.message, false);
            }
          }
        }) : null))))) : el('div', { class: 'muted', id: 'merge-history', text: 'never merged' }));
  }

  // ---------------------------------------------------------------- shared identifiers

  async function sharedIdentifiersPage() {
    page.replaceChildren(el('h1', { text: 'Shared identifiers' }),
      el('p', { class: 'muted', text: 'Identifiers seen with several people (a store phone, a family phone, a store tablet): they no longer link, and what they had joined was split.' }),
      el('div', { id: 'shared' }));
    const list = await api('GET', '/api/v1/identifiers/shared');
    const decide = (item, verdict) => async (event) => {
      event.target.disabled = true;
      try {
        await api('POST', '/api/v1/identifiers/shared/' + verdict, { ref: item.ref, note: 'from the console' });
        show(verdict === 'confirm' ? 'Confirmed: it never links.' : 'Overruled: it links again from the next event on.', true);
        route();
      } catch (error) {
        event.target.disabled = false;
        show(error.message, false);
      }
    };
    document.getElementById('shared').replaceChildren(el('table', { id: 'shared-identifiers' },
      el('thead', {}, el('tr', {}, ['Identifier', 'Why', 'Evidence', 'Detected', 'Status', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...(list.length ? list.map((item) => el('tr', { 'data-identifier': item.type + ':' + item.value },
        el('td', { class: 'mono', text: item.type + (item.namespace ? '@' + item.namespace : '') + ' ' + item.value }),
        el('td', { text: item.reason }),
        el('td', { class: 'mono wrap', text: JSON.stringify(item.evidence || {}) }),
        el('td', { text: when(item.detectedAt) }),
        el('td', { text: item.status + (item.decidedBy ? ' by ' + item.decidedBy : '') }),
        el('td', {}, item.status === 'detected' ? [
          el('button', { class: 'confirm', text: 'Confirm', onclick: decide(item, 'confirm') }),
          el('button', { class: 'overrule', text: 'Overrule', onclick: decide(item, 'overrule') })] : null)))
        : [el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'None found.' }))]))));
  }

  function consentText(consent, field) {
    if (!consent || consent[field] === null || consent[field] === undefined) return 'not stated';
    return (consent[field] ? 'given' : 'declined') + (consent[field + 'At'] ? ' ' + when(consent[field + 'At']) : '');
  }

  /** The customer in the middle, each identity around it; unlinked identities dashed. */
  function identityGraph(c) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'graph');
    svg.setAttribute('id', 'identity-graph');
    svg.setAttribute('viewBox', '0 0 640 340');
    const nodes = (c.identities || []).map((i) => ({ label: i.type, value: i.value, unlinked: false }))
      .concat((c.unlinkedIdentities || []).map((i) => ({ label: i.type + ' (not linked)', value: i.value, unlinked: true })));
    const cx = 320;
    const cy = 170;
    const radius = nodes.length > 8 ? 140 : 120;
    const svgEl = (name, attrs, text) => {
      const node = document.createElementNS(ns, name);
      Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
      if (text !== undefined) node.textContent = text;
      return node;
    };
    nodes.forEach((node, index) => {
      const angle = (2 * Math.PI * index) / Math.max(1, nodes.length) - Math.PI / 2;
      node.x = cx + radius * 1.6 * Math.cos(angle);
      node.y = cy + radius * Math.sin(angle);
      svg.append(svgEl('line', { x1: cx, y1: cy, x2: node.x, y2: node.y }));
    });
    nodes.forEach((node) => {
      const group = svgEl('g', { class: 'identity' + (node.unlinked ? ' unlinked' : ''), 'data-type': node.label });
      group.append(svgEl('circle', { cx: node.x, cy: node.y, r: 7 }));
      group.append(svgEl('text', { x: node.x, y: node.y - 12, 'text-anchor': 'middle' }, node.label));
      group.append(svgEl('text', { x: node.x, y: node.y + 20, 'text-anchor': 'middle', class: 'mono' }, node.value));
      svg.append(group);
    });
    const center = svgEl('g', { class: 'customer' });
    center.append(svgEl('circle', { cx, cy, r: 30 }));
    center.append(svgEl('text', { x: cx, y: cy + 4, 'text-anchor': 'middle' }, 'customer'));
    svg.append(center);
    return svg;
  }

  // ---------------------------------------------------------------- automation

  async function automationPage(title, apiPath, columns, rowAttribute) {
    page.replaceChildren(el('h1', { text: title }), el('div', { id: 'automation' }, 'Loading…'));
    const items = await api('GET', apiPath);
    const list = Array.isArray(items) ? items : (items.items || items.content || []);
    document.getElementById('automation').replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { text: c })))),
      el('tbody', {}, ...(list.length ? list.map((item) => el('tr', { [rowAttribute]: item.id }, ...columns.map((c) => {
        const value = item[c];
        return el('td', { class: 'wrap', text: value === undefined || value === null ? '' : (typeof value === 'object' ? JSON.stringify(value) : value) });
      }))) : [el('tr', {}, el('td', { colspan: columns.length, class: 'empty', text: 'None yet.' }))]))));
  }

  // ---------------------------------------------------------------- API tokens

  async function tokensPage() {
    const tokens = await api('GET', '/api/v1/tokens');
    const created = el('div', { id: 'token-created' });
    const form = el('form', {
      class: 'toolbar', id: 'token-create',
      onsubmit: async (event) => {
        event.preventDefault();
        const data = new FormData(event.target);
        const request = { name: data.get('name'), role: data.get('role'), reveal: data.get('reveal') === 'on' };
        if (data.get('expires')) request.expiresAt = new Date(data.get('expires') + 'T23:59:59').toISOString();
        try {
          const token = await api('POST', '/api/v1/tokens', request);
          await tokensPage();
          // Shown once: the hub keeps only its SHA-256.
          document.getElementById('token-created').replaceChildren(el('div', { class: 'panel', id: 'token-secret-panel' },
            el('h2', { text: 'Token "' + token.name + '" (' + token.role + ')' }),
            el('p', { text: 'Copy it now: it is shown this once and cannot be shown again. Clients send it as Authorization: Bearer <token>.' }),
            el('pre', { class: 'mono', id: 'token-secret', text: token.token })));
          show('Created token ' + token.name, true);
        } catch (error) {
          show('Token not created: ' + error.message, false);
        }
      }
    }, el('input', { name: 'name', placeholder: 'what it is for, e.g. erp-sync', size: 30, required: true }),
      el('select', { name: 'role' }, ...['viewer', 'operator', 'admin'].map((r) => el('option', { value: r, text: r }))),
      el('label', {}, 'expires ', el('input', { type: 'date', name: 'expires' })),
      el('label', { title: 'an operator token that may reveal customers\' personal data (audited); admin tokens always may' },
        el('input', { type: 'checkbox', name: 'reveal' }), ' may reveal personal data'),
      el('button', { type: 'submit', class: 'primary', text: 'Create token' }));
    page.replaceChildren(
      el('h1', { text: 'API tokens' }),
      el('p', { class: 'muted', text: 'Machine clients log in with a token instead of a password: Authorization: Bearer <token>. '
        + 'Each token holds one role; the hub keeps only its SHA-256.' }),
      form, created,
      el('table', { id: 'tokens' },
        el('thead', {}, el('tr', {}, ['Name', 'Role', 'Token', 'Created', 'Expires', 'Last used', 'State', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(tokens.length ? tokens.map(tokenRow)
          : [el('tr', {}, el('td', { colspan: 8, class: 'empty', text: 'No API tokens yet.' }))]))));
  }

  function tokenRow(token) {
    const state = token.active ? 'ACTIVE' : (token.revokedAt ? 'REVOKED' : 'EXPIRED');
    const actions = el('div', { class: 'actions' });
    if (!token.revokedAt) {
      actions.append(action('Revoke', async () => {
        await api('DELETE', '/api/v1/tokens/' + path(token.id));
        return 'Revoked token ' + token.name;
      }, { class: 'danger' }));
    }
    return el('tr', { 'data-token': token.id },
      el('td', { text: token.name }),
      el('td', { text: token.role + (token.reveal && token.role !== 'admin' ? ' + reveal' : '') }),
      el('td', { class: 'mono', text: token.hint + '…' }),
      el('td', {}, when(token.createdAt), el('div', { class: 'muted', text: 'by ' + token.createdBy })),
      el('td', { text: token.expiresAt ? when(token.expiresAt) : 'never' }),
      el('td', { text: token.lastUsedAt ? when(token.lastUsedAt) : '–' }),
      el('td', {}, badge(state), token.revokedBy ? el('div', { class: 'muted', text: 'by ' + token.revokedBy }) : null),
      el('td', {}, actions));
  }

  // ---------------------------------------------------------------- routing

  const pages = {
    'board': boardPage,
    'plugins': pluginsPage,
    'dead-letters': deadLettersPage,
    'customers': customersPage,
    'shared-identifiers': sharedIdentifiersPage,
    'journeys': () => automationPage('Journeys', '/api/v1/journeys', ['id', 'description', 'trigger', 'enrollments', 'source'], 'data-journey'),
    'tasks': () => automationPage('Tasks', '/api/v1/tasks', ['title', 'assignee', 'manager', 'store', 'region', 'status', 'dueAt', 'escalatedAt', 'customerId'], 'data-task'),
    'tokens': tokensPage
  };

  function currentPage() {
    const hash = window.location.hash.replace(/^#\/?/, '');
    const name = hash.split('?')[0];
    return pages[name] ? name : 'board';
  }

  async function route() {
    clearTimeout(state.refresh);
    const hash = window.location.hash.replace(/^#\/?/, '');
    const query = new URLSearchParams(hash.includes('?') ? hash.substring(hash.indexOf('?') + 1) : '');
    const name = currentPage();
    document.querySelectorAll('#nav a').forEach((link) => link.classList.toggle('active', link.dataset.page === name));
    try {
      await pages[name](query);
    } catch (error) {
      show(error.message, false);
    }
  }

  async function start() {
    try {
      state.session = await api('GET', '/api/v1/session');
    } catch (error) {
      show('Cannot reach the hub: ' + error.message, false);
      return;
    }
    document.getElementById('user').textContent = state.session.user + ' (' + state.session.roles[state.session.roles.length - 1] + ')';
    document.querySelectorAll('#nav a[data-role]').forEach((link) => { link.hidden = !may(link.dataset.role); });
    if (state.session.csrf) document.getElementById('logout-csrf').value = state.session.csrf.token;
    for (const hook of extensions.onStart) {
      try {
        await hook();
      } catch (error) {
        show(error.message, false);
      }
    }
    window.addEventListener('hashchange', () => { show(''); route(); });
    route();
  }

  window.OmniHubConsole = { el, api, action, show, may, path, badge, when, ago, route, pages, extensions, state };
  // After every script of the page ran, so pages and hooks the other scripts add are in place.
  document.addEventListener('DOMContentLoaded', start);
})();
