/*
 * OmniHub console, connectors: every installed connector with its instances, and a form to create
 * or change an instance, generated from the connector's configuration JSON Schema (enums as
 * choices, defaults and descriptions shown, secrets write-only). After a save it shows the
 * instance's check and the webhook URL to register at the channel.
 */
'use strict';

(function () {
  const { el, api, show, may, path, badge, when, route, pages } = window.OmniHubConsole;
  const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

  function instancePath(connector, instance) {
    return '/api/v1/connectors/' + path(connector) + '/instances/' + path(instance);
  }

  function webhookUrl(connector, instance) {
    return connector.webhookPath ? window.location.origin + connector.webhookPath.replace('{instance}', encodeURIComponent(instance)) : null;
  }

  // ---------------------------------------------------------------- the list

  async function connectorsPage(query) {
    if (query.get('connector')) {
      await instanceFormPage(query.get('connector'), query.get('instance'));
      return;
    }
    const connectors = await api('GET', '/api/v1/connectors');
    page().replaceChildren(el('h1', { text: 'Connectors' }),
      ...(connectors.length ? connectors.map(connectorPanel)
        : [el('div', { class: 'empty', text: 'No connector is installed: copy plugin JARs into the plugins folder.' })]));
  }

  function connectorPanel(connector) {
    const create = connector.installed && may('operator')
      ? el('a', { class: 'button primary', 'data-action': 'new-instance', href: '#/connectors?connector=' + encodeURIComponent(connector.id),
        text: 'New instance' })
      : null;
    return el('section', { class: 'panel', 'data-connector': connector.id },
      el('div', { class: 'toolbar' },
        el('h2', { text: (connector.name || connector.id) + ' ' }),
        el('span', { class: 'muted mono', text: connector.id + (connector.version ? ' ' + connector.version : '')
          + (connector.installed ? ' · ' + (connector.capabilities || []).join(', ').toLowerCase() : ' · not installed') }),
        create),
      el('table', {},
        el('thead', {}, el('tr', {}, ['Instance', 'State', 'Configured by', 'Last check', 'Webhook URL', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(connector.instances.length ? connector.instances.map((i) => instanceRow(connector, i))
          : [el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'No instances yet.' }))]))));
  }

  function instanceRow(connector, instance) {
    const url = webhookUrl(connector, instance.instance);
    return el('tr', { 'data-instance': connector.id + '/' + instance.instance },
      el('td', { class: 'mono', text: instance.instance }),
      el('td', {}, badge(instance.state), instance.error ? el('div', { class: 'error', text: instance.error }) : null),
      el('td', { text: instance.source }),
      el('td', {}, checkText(instance.lastCheck)),
      el('td', { class: 'mono wrap', text: url || '(polled, no webhook)' }),
      el('td', {}, connector.installed ? el('a', { href: '#/connectors?connector=' + encodeURIComponent(connector.id)
        + '&instance=' + encodeURIComponent(instance.instance), 'data-action': 'edit', text: may('operator') ? 'Edit' : 'Show' }) : null));
  }

  function checkText(check) {
    if (!check) return el('span', { class: 'muted', text: 'not checked yet' });
    return el('span', { class: check.ok ? 'ok' : 'error', 'data-check': check.ok ? 'passed' : 'failed' },
      (check.ok ? 'passed: ' : 'failed: ') + check.message, el('div', { class: 'muted', text: when(check.at) }));
  }

  // ---------------------------------------------------------------- the form

  async function instanceFormPage(connectorId, instanceId) {
    const connector = await api('GET', '/api/v1/connectors/' + path(connectorId));
    const schema = connector.configSchema;
    if (!schema) {
      page().replaceChildren(el('h1', { text: connectorId }),
        el('div', { class: 'empty', text: 'The connector is not installed, or its plugin has no configuration schema.' }));
      return;
    }
    const existing = instanceId ? connector.instances.find((i) => i.instance === instanceId) : null;
    if (instanceId && !existing) {
      page().replaceChildren(el('div', { class: 'empty', text: 'No instance ' + connectorId + '/' + instanceId + '.' }));
      return;
    }
    const editable = may('operator');
    const idInput = el('input', { id: 'instance-id', name: 'instance-id', required: true, pattern: INSTANCE_ID.source,
      value: instanceId || '', disabled: !!instanceId, placeholder: 'e.g. brand-oa', size: 30 });
    const fields = Object.entries(schema.properties || {}).map(([key, spec]) => field(key, spec, schema, existing, editable));
    const known = new Set(Object.keys(schema.properties || {}));
    const extra = existing ? Object.entries(existing.config || {}).filter(([key]) => !known.has(key)) : [];
    const problems = el('div', { id: 'instance-problems' });
    const form = el('form', {
      id: 'instance-form', class: 'panel form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        await save(connector, schema, fields, extra, idInput, problems);
      },
      oninput: () => markRequired(schema, fields)
    },
    el('div', { class: 'field' }, el('label', { for: 'instance-id', text: 'Instance id *' }), idInput,
      el('div', { class: 'muted', text: 'Part of the webhook URL and of metric tags: letters, digits, - and _.' })),
    ...fields.map((f) => f.row),
    ...extra.map(([key, value]) => el('div', { class: 'field' }, el('label', { text: key }),
      el('input', { value, disabled: true }), el('div', { class: 'muted', text: 'not in the connector\'s schema; kept as it is' }))),
    problems,
    editable ? el('div', { class: 'toolbar' }, el('button', { type: 'submit', class: 'primary', 'data-action': 'save',
      text: existing ? 'Save changes' : 'Create instance' })) : null);
    page().replaceChildren(
      el('p', {}, el('a', { href: '#/connectors', text: '← Connectors' })),
      el('h1', { text: (existing ? 'Instance ' + connectorId + '/' + instanceId : 'New ' + (connector.name || connectorId) + ' instance') }),
      schema.description ? el('p', { class: 'muted', text: schema.description }) : null,
      form,
      el('div', { id: 'instance-outcome' }));
    markRequired(schema, fields);
    if (existing) showOutcome(connector, existing.instance);
  }

  /** One form row for a schema property: a choice for enums and booleans, a number, a (write-only) text. */
  function field(key, spec, schema, existing, editable) {
    const id = 'field-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
    const secret = spec['x-secret'] === true;
    const stored = existing ? (existing.config || {})[key] : undefined;
    const hasDefault = spec.default !== undefined;
    let input;
    if (Array.isArray(spec.enum) || spec.type === 'boolean') {
      const choices = Array.isArray(spec.enum) ? spec.enum.map(String) : ['true', 'false'];
      input = el('select', { id, name: key, disabled: !editable },
        el('option', { value: '', text: hasDefault ? 'default (' + spec.default + ')' : '—' }),
        ...choices.map((choice) => el('option', { value: choice, text: choice, selected: stored !== undefined && String(stored) === choice })));
    } else {
      const numeric = spec.type === 'integer' || spec.type === 'number';
      input = el('input', {
        id, name: key, disabled: !editable,
        type: secret ? 'password' : numeric ? 'number' : 'text',
        autocomplete: secret ? 'new-password' : 'off',
        min: spec.minimum, max: spec.maximum, step: spec.type === 'integer' ? 1 : null, size: 48,
        value: secret || stored === undefined ? '' : stored,
        placeholder: secret ? (stored ? 'stored, not shown: leave empty to keep it' : 'secret: write-only')
          : hasDefault ? 'default: ' + spec.default : ''
      });
    }
    const label = el('label', { for: id }, key, el('span', { class: 'required-mark', text: '' }),
      secret ? el('span', { class: 'badge', text: 'secret' }) : null);
    const hints = [];
    if (spec.description) hints.push(spec.description);
    if (hasDefault && !(Array.isArray(spec.enum) || spec.type === 'boolean')) hints.push('Default: ' + spec.default + '.');
    const conditions = requiredWhen(key, schema);
    if (conditions.length) hints.push('Required when ' + conditions.map((c) => c.text).join(' or ') + '.');
    const row = el('div', { class: 'field', 'data-field': key }, label, input,
      hints.length ? el('div', { class: 'muted', text: hints.join(' ') }) : null,
      el('div', { class: 'error field-problem' }));
    return { key, spec, secret, input, row, conditions };
  }

  /** The allOf if/then rules that make {@code key} required: {text, holds(values)}. */
  function requiredWhen(key, schema) {
    return (schema.allOf || []).filter((rule) => rule.then && (rule.then.required || []).includes(key) && rule.if && rule.if.properties)
      .map((rule) => {
        const parts = Object.entries(rule.if.properties).map(([name, test]) => {
          const allowed = test.const !== undefined ? [test.const] : (test.enum || []);
          return { name, allowed: allowed.map(String) };
        });
        return {
          text: parts.map((p) => p.name + ' is ' + p.allowed.join(' or ')).join(' and '),
          holds: (values) => parts.every((p) => p.allowed.includes(values[p.name] !== undefined ? String(values[p.name])
            : (schema.properties[p.name] && schema.properties[p.name].default !== undefined ? String(schema.properties[p.name].default) : '')))
        };
      });
  }

  function currentValues(fields) {
    const values = {};
    fields.forEach((f) => { if (f.input.value !== '') values[f.key] = f.input.value; });
    return values;
  }

  /** Marks the fields required now: always required ones, and those whose condition the current values meet. */
  function markRequired(schema, fields) {
    const values = currentValues(fields);
    const always = new Set(schema.required || []);
    fields.forEach((f) => {
      const required = always.has(f.key) || f.conditions.some((c) => c.holds(values));
      f.row.classList.toggle('required', required);
      f.row.querySelector('.required-mark').textContent = required ? ' *' : '';
    });
  }

  async function save(connector, schema, fields, extra, idInput, problems) {
    problems.replaceChildren();
    fields.forEach((f) => { f.row.querySelector('.field-problem').textContent = ''; });
    const instance = idInput.value.trim();
    if (!INSTANCE_ID.test(instance)) {
      problems.replaceChildren(el('div', { class: 'error', text: 'The instance id must be 1-64 letters, digits, - or _.' }));
      return;
    }
    const config = {};
    fields.forEach((f) => {
      const value = f.input.value;
      if (value === '') return;
      if (f.spec.type === 'integer' || f.spec.type === 'number') config[f.key] = Number(value);
      else if (f.spec.type === 'boolean') config[f.key] = value === 'true';
      else config[f.key] = value;
    });
    extra.forEach(([key, value]) => { config[key] = value; });
    try {
      const status = await api('PUT', instancePath(connector.id, instance), config);
      if (!idInput.disabled) {
        // The new instance's page, without a hash change (which would clear the notice).
        history.replaceState(null, '', '#/connectors?connector=' + encodeURIComponent(connector.id) + '&instance=' + encodeURIComponent(instance));
        await route();
      } else {
        showOutcome(connector, instance);
      }
      show('Saved ' + connector.id + '/' + instance + ': ' + status.state, true);
    } catch (error) {
      const listed = (error.problem && error.problem.problems) || [];
      problems.replaceChildren(el('div', { class: 'error', id: 'instance-error', text: error.message }),
        listed.length ? el('ul', { class: 'error' }, ...listed.map((p) => el('li', { text: p }))) : null);
      listed.forEach((problem) => {
        const f = fields.find((x) => problem.startsWith(x.key + ':') || problem.startsWith(x.key + ' ') || problem.includes("'" + x.key + "'"));
        if (f) f.row.querySelector('.field-problem').textContent = problem;
      });
      show(error.message, false);
    }
  }

  /** The instance's state, its check (polled until one finished) and the webhook URL to register. */
  async function showOutcome(connector, instance) {
    const holder = document.getElementById('instance-outcome');
    if (!holder) return;
    const url = webhookUrl(connector, instance);
    const render = (status) => holder.replaceChildren(el('div', { class: 'panel', id: 'instance-status' },
      el('h2', { text: 'State and check' }),
      el('dl', { class: 'kv' },
        el('dt', { text: 'State' }), el('dd', {}, badge(status.state), status.error ? el('div', { class: 'error', text: status.error }) : null),
        el('dt', { text: 'Check' }), el('dd', { id: 'instance-check' }, checkText(status.lastCheck)),
        el('dt', { text: 'Webhook URL' }), el('dd', {},
          url ? el('span', { class: 'mono', id: 'webhook-url', text: url }) : el('span', { class: 'muted', text: 'none: this connector polls' }),
          url ? el('div', { class: 'muted', text: 'Register it at the channel as the push (server) URL; the hub verifies every push\'s signature.' }) : null)),
      may('operator') ? el('div', { class: 'toolbar' },
        el('button', { 'data-action': 'check', text: 'Check again', onclick: async () => {
          try {
            await api('POST', instancePath(connector.id, instance) + '/check');
            poll(Date.now(), Date.now() + 60000);
          } catch (error) {
            show(error.message, false);
          }
        } }),
        status.source === 'api' ? el('button', { class: 'danger', 'data-action': 'delete', text: 'Delete', onclick: async () => {
          try {
            await api('DELETE', instancePath(connector.id, instance));
            show('Deleted ' + connector.id + '/' + instance, true);
            window.location.hash = '#/connectors';
          } catch (error) {
            show(error.message, false);
          }
        } }) : null) : null));
    /** Shows the instance, again every second until a check finished after {@code since} (or {@code until} passed). */
    const poll = async (since, until) => {
      let status;
      try {
        status = await api('GET', instancePath(connector.id, instance));
      } catch (error) {
        show(error.message, false);
        return;
      }
      if (!document.getElementById('instance-outcome')) return;
      render(status);
      const checked = status.lastCheck && new Date(status.lastCheck.at).getTime() >= since - 1000;
      if (!checked && Date.now() < until && (status.state === 'RUNNING' || status.state === 'PAUSED')) {
        setTimeout(() => poll(since, until), 1000);
      }
    };
    await poll(0, Date.now() + 60000);
  }

  function page() {
    return document.getElementById('page');
  }

  pages.connectors = connectorsPage;
})();
