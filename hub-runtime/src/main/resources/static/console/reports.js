/*
 * OmniHub console, reports: customer KPIs with the formula of each figure beside it, a journey's
 * funnel, attribution of orders to journey messages (last touch or Markov), over a chosen period,
 * each downloadable as CSV. Charts are inline SVG drawn here; nothing is loaded from elsewhere.
 */
'use strict';

(function () {
  const { el, api, path, pages } = window.OmniHubConsole;
  const SVG = 'http://www.w3.org/2000/svg';

  function page() {
    return document.getElementById('page');
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, String(value));
    }
    children.forEach((c) => c && node.append(c));
    return node;
  }

  /** Horizontal bars, one per row ({label, value, text, kind}); the longest bar spans the width. */
  function barChart(rows, name) {
    const width = 640;
    const labelWidth = 170;
    const barHeight = 22;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const chart = svg('svg', { class: 'chart', 'data-chart': name, role: 'img', width, height: rows.length * (barHeight + 6) + 4,
      viewBox: '0 0 ' + width + ' ' + (rows.length * (barHeight + 6) + 4) });
    rows.forEach((r, i) => {
      const y = i * (barHeight + 6) + 2;
      const w = Math.round((width - labelWidth - 200) * r.value / max);
      chart.append(
        svg('text', { x: 0, y: y + 15, text: r.label }),
        svg('rect', { class: 'bar' + (r.kind ? ' ' + r.kind : ''), x: labelWidth, y, width: Math.max(w, r.value > 0 ? 2 : 0),
          height: barHeight, 'data-label': r.label, 'data-value': r.value }, svg('title', { text: r.label + ': ' + (r.text || r.value) })),
        svg('text', { class: 'muted', x: labelWidth + w + 6, y: y + 15, text: r.text || String(r.value) }));
    });
    return rows.length ? chart : el('p', { class: 'empty', text: 'Nothing in this period.' });
  }

  /** An amount in minor units as its currency shows it (2 decimals for CNY, none for JPY). */
  function money(minor, currency) {
    const value = Number(minor);
    try {
      const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
      const digits = format.resolvedOptions().maximumFractionDigits;
      return format.format(value / Math.pow(10, digits));
    } catch (e) {
      return value + ' ' + currency + ' (minor units)';
    }
  }

  function orders(n) {
    return n + (Number(n) === 1 ? ' order' : ' orders');
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '–' : (Number(rate) * 100).toFixed(1) + ' %';
  }

  function today(offsetDays) {
    const d = new Date();
    d.setUTCDate(d.getUTCDate() + (offsetDays || 0));
    return d.toISOString().substring(0, 10);
  }

  function csvLink(url, what) {
    return el('a', { class: 'button', href: url + (url.includes('?') ? '&' : '?') + 'format=csv', download: '',
      'data-action': 'csv-' + what, text: 'Download CSV' });
  }

  // ---------------------------------------------------------------- the page

  async function reportsPage(query) {
    const from = query.get('from') || today(-29);
    const to = query.get('to') || today(0);
    const period = 'from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    const fromInput = el('input', { type: 'date', id: 'report-from', value: from });
    const toInput = el('input', { type: 'date', id: 'report-to', value: to });
    const go = (f, t) => { window.location.hash = '#/reports?from=' + f + '&to=' + t; };
    const monthStart = today(0).substring(0, 8) + '01';
    const picker = el('div', { class: 'toolbar period' },
      el('label', {}, 'From ', fromInput), el('label', {}, 'to ', toInput, ' (both days included, UTC)'),
      el('button', { class: 'primary', 'data-action': 'apply-period', text: 'Show', onclick: () => go(fromInput.value, toInput.value) }),
      el('button', { text: 'Last 30 days', onclick: () => go(today(-29), today(0)) }),
      el('button', { text: 'This month', onclick: () => go(monthStart, today(0)) }),
      el('button', { text: 'Last 90 days', onclick: () => go(today(-89), today(0)) }));
    const [kpis, journeys] = await Promise.all([api('GET', '/api/v1/reports/kpis?' + period), api('GET', '/api/v1/journeys')]);
    const funnel = el('section', { class: 'panel', id: 'report-funnel' }, el('h2', { text: 'Journey funnel' }), el('p', { class: 'muted', text: 'Loading…' }));
    const attribution = el('section', { class: 'panel', id: 'report-attribution' }, el('h2', { text: 'Attribution' }), el('p', { class: 'muted', text: 'Loading…' }));
    page().replaceChildren(el('h1', { text: 'Reports' }), picker, kpiSection(kpis, period), funnel, attribution);
    await Promise.all([funnelSection(funnel, journeys, query.get('journey'), period, query),
      attributionSection(attribution, query.get('model') || 'last-touch', query.get('window') || '', period)]);
  }

  // ---------------------------------------------------------------- KPIs

  function card(name, label, value, formula, parts) {
    return el('div', { class: 'kpi', 'data-kpi': name },
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value', text: value }),
      parts ? el('div', { class: 'parts muted', text: parts }) : null,
      el('div', { class: 'formula', text: formula }));
  }

  function kpiSection(k, period) {
    const f = k.formulas || {};
    const cards = el('div', { class: 'kpis' },
      card('customers', 'Customers', k.customers, f.customers, k.customersAtStart + ' at the start'),
      card('newCustomers', 'New customers', k.newCustomers, f.newCustomers),
      card('activeCustomers', 'Active customers', k.activeCustomers, f.activeCustomers),
      card('retention', 'Retention', percent(k.retention), f.retention,
        '(' + k.activeCustomers + ' − ' + k.newCustomers + ') / ' + k.customersAtStart + '; ' + k.retainedCustomers + ' retained'),
      card('repurchaseRate', 'Repurchase rate', percent(k.repurchaseRate), f.repurchaseRate,
        k.repeatCustomers + ' / ' + k.customersWithOrders),
      card('crossChannelShare', 'Cross-channel share', percent(k.crossChannelShare), f.crossChannelShare,
        k.crossChannelCustomers + ' / ' + k.customersWithOrders),
      card('averageLifespanDays', 'Average lifespan', k.averageLifespanDays === null ? '–' : Number(k.averageLifespanDays).toFixed(1) + ' d',
        f.averageLifespanDays, k.lifespanCustomers + ' customers with orders'));
    const currencyTable = el('table', { id: 'report-currencies' },
      el('thead', {}, el('tr', {}, ['Currency', 'Orders', 'Revenue', 'Average order value', 'Average customer value', 'CLV']
        .map((h) => el('th', { text: h })))),
      el('tbody', {}, ...(k.currencies.length ? k.currencies.map((c) => el('tr', { 'data-currency': c.currency },
        el('td', { class: 'mono', text: c.currency }),
        el('td', { text: c.orders }),
        el('td', { text: money(c.revenueMinor, c.currency) }),
        el('td', { text: money(c.averageOrderValueMinor, c.currency) }),
        el('td', { text: money(c.averageCustomerValueMinor, c.currency) }),
        el('td', { 'data-clv': c.currency, text: c.clvMinor === null ? '–' : money(c.clvMinor, c.currency) })))
        : [el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'No orders in this period.' }))])));
    const byCurrency = {};
    k.channels.forEach((c) => { (byCurrency[c.currency] = byCurrency[c.currency] || []).push(c); });
    const charts = Object.entries(byCurrency).map(([currency, rows]) => el('div', {},
      el('h3', { text: 'Revenue per channel, ' + currency }),
      barChart(rows.map((r) => ({ label: r.channel, value: Number(r.revenueMinor),
        text: money(r.revenueMinor, currency) + ' · ' + orders(r.orders) })), 'revenue-' + currency)));
    return el('section', { class: 'panel', id: 'report-kpis' },
      el('div', { class: 'toolbar' }, el('h2', { text: 'Customers and orders' }), csvLink('/api/v1/reports/kpis?' + period, 'kpis')),
      cards, currencyTable,
      el('p', { class: 'formula' }, 'Average order value: ', f.averageOrderValue, '. Average customer value: ', f.averageCustomerValue,
        '. CLV: ', f.clv, '. Amounts are never converted between currencies.'),
      el('p', { class: 'formula', text: 'Revenue per channel: ' + (f.revenuePerChannel || '') }),
      ...charts);
  }

  // ---------------------------------------------------------------- funnel

  async function funnelSection(section, journeys, chosen, period, query) {
    const ids = journeys.map((j) => j.id);
    const journey = chosen && ids.includes(chosen) ? chosen : ids[0];
    const select = el('select', { id: 'report-journey', onchange: () => {
      query.set('journey', select.value);
      window.location.hash = '#/reports?' + query;
    } }, ...ids.map((id) => el('option', { value: id, selected: id === journey, text: id })));
    const head = el('div', { class: 'toolbar' }, el('h2', { text: 'Journey funnel' }), ids.length ? select : null);
    if (!journey) {
      section.replaceChildren(head, el('p', { class: 'empty', text: 'No journey is defined.' }));
      return;
    }
    const url = '/api/v1/reports/journeys/' + path(journey) + '/funnel?' + period;
    const f = await api('GET', url);
    head.append(csvLink(url, 'funnel'));
    const rows = [{ label: 'enrolled', value: f.enrolled }, { label: 'reached', value: f.reached }];
    Object.entries(f.sent).forEach(([channel, n]) => rows.push({ label: 'sent on ' + channel, value: n }));
    Object.entries(f.suppressed).forEach(([guard, n]) => rows.push({ label: 'suppressed: ' + guard, value: n, kind: 'suppressed' }));
    if (f.goal) rows.push({ label: 'converted', value: f.converted, kind: 'converted', text: f.converted + ' (' + percent(f.conversionRate) + ')' });
    section.replaceChildren(head, barChart(rows, 'funnel'),
      el('p', { class: 'formula', text: 'Enrollments started in the period; sent and suppressed count their actions (a guard is the '
        + 'reason up to its first colon); reached: at least one message sent. '
        + (f.goal ? 'Converted: the customer had ' + f.goal.event + ' within ' + duration(f.goal.within)
          + ' of the enrollment\'s start, over ' + f.goalEnrollments + ' enrollments on a version with this goal.'
          : 'The journey names no goal (goal: { event: order.paid, within: 7d }), so nothing counts as converted.') }));
  }

  /** An ISO-8601 duration (PT168H) in days or hours. */
  function duration(iso) {
    const m = /^PT(\d+)H$/.exec(iso || '');
    if (!m) return iso;
    const hours = Number(m[1]);
    return hours % 24 === 0 ? hours / 24 + ' d' : hours + ' h';
  }

  // ---------------------------------------------------------------- attribution

  async function attributionSection(section, model, window, period) {
    const url = '/api/v1/reports/attribution?' + period + '&model=' + model + (window && model === 'last-touch' ? '&window=' + encodeURIComponent(window) : '');
    const a = await api('GET', url);
    const choose = (m) => {
      const q = new URLSearchParams(location.hash.substring(location.hash.indexOf('?') + 1));
      q.set('model', m);
      location.hash = '#/reports?' + q;
    };
    const windowInput = el('input', { id: 'report-window', size: 5, value: window || (a.window ? duration(a.window).replace(' ', '') : '') });
    const head = el('div', { class: 'toolbar' }, el('h2', { text: 'Attribution' }),
      el('button', { class: model === 'last-touch' ? 'primary' : '', 'data-action': 'model-last-touch', text: 'Last touch', onclick: () => choose('last-touch') }),
      el('button', { class: model === 'markov' ? 'primary' : '', 'data-action': 'model-markov', text: 'Markov', onclick: () => choose('markov') }),
      model === 'last-touch' ? el('label', {}, 'window ', windowInput, el('button', { text: 'Apply', onclick: () => {
        const q = new URLSearchParams(location.hash.substring(location.hash.indexOf('?') + 1));
        q.set('window', windowInput.value.trim());
        location.hash = '#/reports?' + q;
      } })) : null,
      csvLink(url, 'attribution'));
    const totals = el('p', { class: 'muted' }, 'Orders in the period: ', a.orders.map((t) => t.orders + ' (' + money(t.revenueMinor, t.currency) + ')').join(', ') || '0',
      '; credited: ', a.attributed.map((t) => t.orders + ' (' + money(t.revenueMinor, t.currency) + ')').join(', ') || '0', '.');
    const byCurrency = {};
    a.credits.forEach((c) => { (byCurrency[c.currency] = byCurrency[c.currency] || []).push(c); });
    const charts = Object.entries(byCurrency).map(([currency, rows]) => el('div', {},
      el('h3', { text: 'Revenue credited, ' + currency }),
      barChart(rows.map((c) => ({ label: (c.journey ? c.journey + ' · ' : '') + c.channel, value: Number(c.revenueMinor),
        text: money(c.revenueMinor, currency) + ' · ' + orders(Number(c.orders)) })), 'attribution-' + currency)));
    const explain = model === 'markov'
      ? 'Markov removal effect: each customer\'s journey messages in the period form paths start → channels → order (converted) or '
        + 'null; removing a channel sends its walks to null; removal effect = 1 − P(conversion without it) / P(conversion); the '
        + 'orders that ended a path and their revenue are split by removal effect / sum of removal effects.'
      : 'Last touch: each order goes whole to the last journey message the channel accepted before it, within ' + duration(a.window)
        + '; orders without one stay uncredited.';
    const effects = model === 'markov' ? el('table', { id: 'report-effects' },
      el('thead', {}, el('tr', {}, ['Channel', 'Removal effect', 'Share'].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...a.effects.map((e) => el('tr', { 'data-channel': e.channel }, el('td', { class: 'mono', text: e.channel }),
        el('td', { text: Number(e.removalEffect).toFixed(4) }), el('td', { text: percent(e.share) }))))) : null;
    section.replaceChildren(head, totals, ...(charts.length ? charts : [el('p', { class: 'empty', text: 'No order was credited in this period.' })]),
      effects, model === 'markov' ? el('p', { class: 'muted', text: a.paths + ' paths, ' + a.convertingPaths + ' converted; P(conversion) '
        + Number(a.conversionProbability || 0).toFixed(4) }) : null,
      el('p', { class: 'formula', text: explain }));
  }

  pages.reports = reportsPage;
})();
