/*
 * OmniHub console, automation: rules, segments and journeys edited as YAML (the parser's error shown
 * at its line), a dry run of one against a chosen customer (what would match and be planned;
 * nothing is sent or kept), and a customer's journeys and tasks on the customer page.
 */
'use strict';

(function () {
  const { el, api, show, may, path, badge, when, route, pages, extensions } = window.OmniHubConsole;

  const KINDS = {
    rule: { plural: 'rules', title: 'Rules' },
    segment: { plural: 'segments', title: 'Segments' },
    journey: { plural: 'journeys', title: 'Journeys' }
  };

  /** What a new definition starts from: the smallest one that does something, to be changed. */
  const TEMPLATES = {
    rule: [
      'description: Tag customers whose order of 2000 CNY or more was paid.',
      'on: order.paid',
      'when: "event.order.totalMinor >= 200000"',
      'then:',
      '  - tag: big-basket',
      ''].join('\n'),
    segment: [
      'description: Customers who spent 5000 CNY or more.',
      'when: "customer.orders.totalMinor[?\'CNY\'].orValue(0) >= 500000"',
      ''].join('\n'),
    journey: [
      'description: Thank a customer for a paid order, and ask the store to call after three days.',
      'trigger:',
      '  event: order.paid',
      'steps:',
      '  - id: thank',
      '    send:',
      '      marketing: false',
      '      via:',
      '        - connector: wechat',
      '          instance: brand-oa',
      '          kind: wechat.template',
      '          recipient: wechat_openid',
      '          payload:',
      '            template_id: order-thanks-template',
      '            data:',
      '              first: 感谢您的订单',
      '  - id: wait',
      '    wait: 3d',
      '  - id: call',
      '    task:',
      '      title: "回访：{{ trigger.order.id }}"',
      '      assign-by: store',
      '      due: 24h',
      ''].join('\n')
  };

  function definitionsPath(kind, id) {
    return '/api/v1/' + KINDS[kind].plural + (id ? '/' + path(id) : '');
  }

  // ---------------------------------------------------------------- the list

  async function automationPage(query) {
    if (query.get('kind') && KINDS[query.get('kind')]) {
      await editorPage(query.get('kind'), query.get('id'));
      return;
    }
    const [status, rules, segments, journeys] = await Promise.all([api('GET', '/api/v1/automation'),
      api('GET', '/api/v1/rules'), api('GET', '/api/v1/segments'), api('GET', '/api/v1/journeys')]);
    const refused = (status.sources || []).filter((s) => s.error);
    page().replaceChildren(
      el('h1', { text: 'Automation' }),
      el('div', { class: 'summary' },
        el('span', {}, el('b', { text: status.rules }), ' rules'),
        el('span', {}, el('b', { text: status.segments }), ' segments'),
        el('span', {}, el('b', { text: status.journeys }), ' journeys'),
        el('span', { class: 'muted mono', text: status.dir })),
      refused.length ? el('div', { class: 'panel', id: 'refused-definitions' }, el('h2', { text: 'Refused' }),
        el('ul', { class: 'error' }, ...refused.map((s) => el('li', { class: 'mono', text: s.error })))) : null,
      definitionTable('rule', rules, (r) => (r.on || []).join(', ') || 'every event'),
      definitionTable('segment', segments, (s) => s.size + ' members'),
      definitionTable('journey', journeys, (j) => Object.entries(j.enrollments || {}).map(([k, v]) => v + ' ' + k).join(', ')));
  }

  function definitionTable(kind, items, detail) {
    const create = may('operator') ? el('a', { class: 'button primary', 'data-action': 'new-' + kind,
      href: '#/automation?kind=' + kind, text: 'New ' + kind }) : null;
    return el('section', { class: 'panel', 'data-kind': kind },
      el('div', { class: 'toolbar' }, el('h2', { text: KINDS[kind].title }), create),
      el('table', {},
        el('thead', {}, el('tr', {}, ['Id', 'Description', '', 'Written in', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...(items.length ? items.map((item) => el('tr', { ['data-' + kind]: item.id },
          el('td', { class: 'mono', text: item.id }),
          el('td', { class: 'wrap', text: item.description || '' }),
          el('td', { class: 'muted', text: detail(item) }),
          el('td', { class: 'mono', text: item.source }),
          el('td', {}, el('a', { href: '#/automation?kind=' + kind + '&id=' + encodeURIComponent(item.id), 'data-action': 'open', text: 'Open' }))))
          : [el('tr', {}, el('td', { colspan: 5, class: 'empty', text: 'None.' }))]))));
  }

  // ---------------------------------------------------------------- the editor

  async function editorPage(kind, id) {
    let source = null;
    if (id) {
      source = await api('GET', definitionsPath(kind, id) + '/source');
    }
    const editable = may('operator') && (!source || source.editable);
    const text = source ? source.yaml : TEMPLATES[kind];
    const idInput = el('input', { id: 'definition-id', value: id || '', disabled: !!id, pattern: '[a-z0-9][a-z0-9._-]{0,63}',
      placeholder: 'lower-case id, e.g. order-thanks', size: 30 });
    const editor = yamlEditor(text, !editable, source && !source.editable ? source.line : 0);
    const error = el('div', { id: 'definition-error', class: 'error', hidden: true });
    const actions = el('div', { class: 'toolbar' });
    if (editable) {
      actions.append(el('button', { class: 'primary', 'data-action': 'save', text: 'Save', onclick: async () => {
        const target = idInput.value.trim();
        if (!target) {
          showError(error, editor, { detail: 'give the ' + kind + ' an id' });
          return;
        }
        try {
          await api('PUT', definitionsPath(kind, target), new Blob([editor.value()], { type: 'application/yaml' }));
          editor.mark(0);
          error.hidden = true;
          if (!id) {
            // The page of the new definition, without a hash change (which would clear the notice).
            history.replaceState(null, '', '#/automation?kind=' + kind + '&id=' + encodeURIComponent(target));
            await route();
          }
          show('Saved ' + kind + ' ' + target + ': in force now', true);
        } catch (failure) {
          showError(error, editor, failure.problem || { detail: failure.message });
          show(failure.message, false);
        }
      } }));
      if (source && source.editable) {
        actions.append(el('button', { class: 'danger', 'data-action': 'delete', text: 'Delete', onclick: async () => {
          try {
            await api('DELETE', definitionsPath(kind, id));
            show('Deleted ' + kind + ' ' + id, true);
            window.location.hash = '#/automation';
          } catch (failure) {
            show(failure.message, false);
          }
        } }));
      }
    } else if (source && !source.editable && may('operator')) {
      actions.append(el('button', { 'data-action': 'copy', text: 'Copy into a new ' + kind, onclick: () => {
        const copy = extractDefinition(source.yaml, source.line);
        sessionStorage.setItem('omnihub-definition-copy', copy);
        window.location.hash = '#/automation?kind=' + kind + '&copy=1';
      } }));
    }
    const copied = !id && new URLSearchParams(window.location.hash.split('?')[1] || '').get('copy')
      ? sessionStorage.getItem('omnihub-definition-copy') : null;
    if (copied) editor.set(copied);
    page().replaceChildren(
      el('p', {}, el('a', { href: '#/automation', text: '← Automation' })),
      el('h1', { text: (id ? kind[0].toUpperCase() + kind.substring(1) + ' ' + id : 'New ' + kind) }),
      source ? el('p', { class: 'muted' }, source.editable ? 'Written over the API; saving checks it against everything in force first.'
        : 'Defined in ' + source.source + ' (line ' + source.line + '): change it there, the hub reloads the file. '
          + 'Or copy it into a new ' + kind + ' written over the API.') : null,
      el('div', { class: 'field' }, el('label', { for: 'definition-id', text: 'Id' }), idInput),
      editor.node, error, actions,
      dryRunPanel(kind, () => idInput.value.trim() || id, () => (editable ? editor.value() : null)));
  }

  /** A text area with line numbers; {@code mark(line)} highlights one (0: none). */
  function yamlEditor(text, readOnly, highlight) {
    const gutter = el('pre', { class: 'gutter', 'aria-hidden': 'true' });
    const area = el('textarea', { id: 'definition-yaml', spellcheck: 'false', wrap: 'off', readonly: readOnly, rows: 24 });
    area.value = text;
    let marked = highlight || 0;
    const renderGutter = () => {
      const lines = area.value.split('\n').length;
      gutter.replaceChildren(...Array.from({ length: lines }, (_, i) => el('span', {
        class: 'line' + (i + 1 === marked ? ' marked' : ''), 'data-line': i + 1, text: String(i + 1) })));
      gutter.scrollTop = area.scrollTop;
    };
    area.addEventListener('input', renderGutter);
    area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });
    renderGutter();
    const node = el('div', { class: 'yaml-editor' + (readOnly ? ' read-only' : '') }, gutter, area);
    if (marked) setTimeout(() => scrollToLine(area, marked), 0);
    return {
      node,
      value: () => area.value,
      set: (value) => { area.value = value; renderGutter(); },
      mark: (line) => { marked = line; renderGutter(); if (line) scrollToLine(area, line); }
    };
  }

  function scrollToLine(area, line) {
    const height = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 3) * height);
  }

  /** The parser's problem at its line: marked in the gutter, and said below the editor. */
  function showError(box, editor, problem) {
    const line = problem.line || 0;
    editor.mark(line);
    box.hidden = false;
    box.dataset.line = String(line);
    box.replaceChildren(line ? el('b', { text: 'Line ' + line + ': ' }) : null, problem.problem || problem.detail || 'refused');
  }

  /**
   * One definition out of a definitions file: the list item starting at {@code line} ("- id: ..."),
   * with its indentation taken off, as the API takes one definition.
   */
  function extractDefinition(fileText, line) {
    const lines = fileText.split('\n');
    const start = Math.max(0, line - 1);
    const first = lines[start] || '';
    const dash = first.indexOf('- ');
    const indent = dash >= 0 ? dash + 2 : first.search(/\S/);
    const out = [' '.repeat(indent) + (dash >= 0 ? first.substring(dash + 2) : first.trimStart())];
    for (let i = start + 1; i < lines.length; i++) {
      const text = lines[i];
      if (text.trim() !== '' && text.search(/\S/) < indent) break;
      out.push(text);
    }
    return out.map((l) => l.substring(Math.min(indent, l.search(/\S/) < 0 ? l.length : indent)))
      .filter((l) => !/^id:\s/.test(l)).join('\n').replace(/\s+$/, '') + '\n';
  }

  // ---------------------------------------------------------------- the dry run

  function dryRunPanel(kind, currentId, currentYaml) {
    const customer = el('input', { id: 'dry-run-customer', size: 40, placeholder: 'customer id, or type:value (phone:+8613912345678)' });
    const namespace = el('input', { id: 'dry-run-namespace', placeholder: 'namespace (appid), if needed' });
    const event = el('textarea', { id: 'dry-run-event', rows: 4, spellcheck: 'false',
      placeholder: 'optional event, e.g. {"type": "cart.updated", "data": {"order": {"id": "C-1", "currency": "CNY", "totalMinor": 150000, "lines": []}}}; '
        + 'empty: the customer\'s latest fitting event' });
    const result = el('div', { id: 'dry-run-result' });
    const run = el('button', { class: 'primary', 'data-action': 'dry-run', text: 'Dry run', onclick: async () => {
      const body = { kind, id: currentId(), customer: customer.value.trim() };
      if (!body.id) {
        result.replaceChildren(el('div', { class: 'error', text: 'Give the ' + kind + ' an id first.' }));
        return;
      }
      const yaml = currentYaml();
      if (yaml) body.yaml = yaml;
      if (namespace.value.trim()) body.namespace = namespace.value.trim();
      if (event.value.trim()) {
        try {
          body.event = JSON.parse(event.value);
        } catch (error) {
          result.replaceChildren(el('div', { class: 'error', text: 'The event is not JSON: ' + error.message }));
          return;
        }
      }
      try {
        renderDryRun(result, await api('POST', '/api/v1/automation/dry-run', body));
      } catch (error) {
        const problem = error.problem || {};
        result.replaceChildren(el('div', { class: 'error', id: 'dry-run-error' },
          problem.line ? 'Line ' + problem.line + ': ' + (problem.problem || error.message) : error.message));
      }
    } });
    return el('section', { class: 'panel', id: 'dry-run' },
      el('h2', { text: 'Dry run' }),
      el('p', { class: 'muted', text: 'What this ' + kind + ' would do for one customer now, with the text above: whether it matches, '
        + 'what it would plan (guards included) and where a journey would wait. Run in a transaction that is rolled back: '
        + 'nothing is sent or kept.' }),
      el('div', { class: 'toolbar' }, customer, namespace),
      event,
      may('operator') ? el('div', { class: 'toolbar' }, run) : el('div', { class: 'muted', text: 'Dry runs need role operator.' }),
      result);
  }

  function renderDryRun(holder, r) {
    const actions = r.actions || [];
    holder.replaceChildren(el('div', { class: 'panel' },
      el('h2', {}, r.matches ? el('span', { class: 'badge RUNNING', id: 'dry-run-verdict', text: 'matches' })
        : el('span', { class: 'badge STOPPED', id: 'dry-run-verdict', text: 'does not match' }),
      ' ', el('span', { class: 'mono', text: 'customer ' + r.customerId })),
      r.event ? el('div', { class: 'muted', text: 'Event: ' + r.event.type + ' from ' + r.event.source + ' at ' + when(r.event.time)
        + (r.event.from === 'given' ? ' (given)' : ' (from the timeline)') }) : null,
      el('ul', { id: 'dry-run-notes' }, ...(r.notes || []).map((n) => el('li', { text: n }))),
      el('h2', { text: 'Would do now' }),
      actions.length ? el('table', { id: 'dry-run-actions' },
        el('thead', {}, el('tr', {}, ['Action', 'Through', 'Recipient', 'Status', 'Why', 'Payload'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...actions.map((a) => el('tr', { 'data-kind': a.kind },
          el('td', { text: a.kind }), el('td', { class: 'mono', text: a.connector ? a.connector + '/' + a.instance : '' }),
          el('td', { class: 'mono', text: a.recipient || '' }), el('td', {}, badge(a.status)),
          el('td', { class: 'wrap', text: a.reason || '' }),
          el('td', { class: 'mono wrap', text: JSON.stringify(a.payload || {}) })))))
        : el('div', { class: 'muted', text: 'Nothing.' }),
      r.enrollment ? el('p', { id: 'dry-run-enrollment' }, 'The enrollment would be ', badge(r.enrollment.status),
        r.enrollment.step ? ', waiting in step ' + r.enrollment.step + (r.enrollment.until ? ' until ' + when(r.enrollment.until) : '') : '') : null,
      (r.later || []).length ? el('div', {}, el('h2', { text: 'Then' }), el('ol', { id: 'dry-run-later' }, ...r.later.map((s) => el('li', { class: 'mono', text: s }))))
        : null,
      el('p', { class: 'muted', text: 'Nothing was sent or kept.' })));
  }

  // ---------------------------------------------------------------- on the customer page

  /** The customer's journeys (every enrollment) and tasks, below the 360 view. */
  async function customerAutomation(customer) {
    const holder = el('div', { id: 'customer-automation' }, el('h2', { text: 'Journeys and tasks' }), el('div', { class: 'muted', text: 'Loading…' }));
    document.getElementById('customer').append(holder);
    try {
      const journeys = await api('GET', '/api/v1/journeys');
      const [enrollments, tasks] = await Promise.all([
        Promise.all(journeys.map((j) => api('GET', '/api/v1/journeys/' + path(j.id) + '/enrollments?customer=' + encodeURIComponent(customer.id)))),
        api('GET', '/api/v1/tasks?customer=' + encodeURIComponent(customer.id))]);
      const all = enrollments.flat();
      holder.replaceChildren(el('h2', { text: 'Journeys and tasks' }),
        el('table', { id: 'customer-enrollments' },
          el('thead', {}, el('tr', {}, ['Journey', 'Status', 'Step', 'Started', 'Ended'].map((h) => el('th', { text: h })))),
          el('tbody', {}, ...(all.length ? all.map((e) => el('tr', { 'data-journey': e.journeyId },
            el('td', { class: 'mono', text: e.journeyId }), el('td', {}, badge(e.status)),
            el('td', { text: e.step ? e.step + (e.waiting ? ' (waiting for ' + e.waiting + ')' : '') : '' }),
            el('td', { text: when(e.startedAt) }), el('td', { text: e.endedAt ? when(e.endedAt) + ': ' + (e.endReason || '') : '' })))
            : [el('tr', {}, el('td', { colspan: 5, class: 'empty', text: 'In no journey.' }))]))),
        el('table', { id: 'customer-tasks' },
          el('thead', {}, el('tr', {}, ['Task', 'Assignee', 'Status', 'Due'].map((h) => el('th', { text: h })))),
          el('tbody', {}, ...(tasks.length ? tasks.map((t) => el('tr', { 'data-task': t.id },
            el('td', { text: t.title }), el('td', { class: 'mono', text: t.assignee }), el('td', {}, badge(t.status)), el('td', { text: when(t.dueAt) })))
            : [el('tr', {}, el('td', { colspan: 4, class: 'empty', text: 'No tasks.' }))]))));
    } catch (error) {
      holder.replaceChildren(el('h2', { text: 'Journeys and tasks' }), el('div', { class: 'error', text: error.message }));
    }
  }

  function page() {
    return document.getElementById('page');
  }

  pages.automation = automationPage;
  extensions.customerSections.push(customerAutomation);
})();
