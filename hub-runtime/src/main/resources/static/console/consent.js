/*
 * OmniHub console, consent on the customer page: the current statement per purpose and channel
 * (with when it was made and the event and connector it came from) and the history of every
 * statement, newest first, paged.
 */
'use strict';

(function () {
  const { el, api, path, when, extensions } = window.OmniHubConsole;

  const PAGE = 20;
  const PURPOSES = { crossChannelLinking: 'Cross-channel linking', analytics: 'Analytics', marketing: 'Marketing' };

  function purpose(s) {
    return (PURPOSES[s.purpose] || s.purpose) + (s.purpose === 'marketing' ? ' · ' + (s.channel || 'all channels') : '');
  }

  function value(s) {
    if (s.value === null || s.value === undefined) return el('span', { class: 'muted', text: 'not stated' });
    return el('span', { class: 'badge ' + (s.value ? 'RUNNING' : 'STOPPED'), text: s.value ? 'given' : 'declined' });
  }

  function source(s) {
    return s.source ? s.source + ' · ' + (s.eventType || '') : 'before consent history was kept';
  }

  function row(s) {
    return el('tr', { 'data-key': s.key, 'data-event': s.eventId || '' },
      el('td', { text: purpose(s) }), el('td', {}, value(s)), el('td', { text: when(s.at) }),
      el('td', { class: 'mono wrap', text: source(s) }), el('td', { class: 'mono', text: s.eventId || '' }));
  }

  function table(id, statements, empty) {
    return el('table', { id },
      el('thead', {}, el('tr', {}, ['Purpose', 'Statement', 'Made', 'Source', 'Event'].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...(statements.length ? statements.map(row) : [el('tr', {}, el('td', { colspan: 5, class: 'empty', text: empty }))])));
  }

  /** The consent panel below the 360 view. */
  async function customerConsent(customer) {
    const current = (customer.consent && customer.consent.statements) || [];
    const history = el('div', { id: 'consent-history' }, el('div', { class: 'muted', text: 'Loading…' }));
    const panel = el('div', { class: 'panel', id: 'customer-consent' },
      el('h2', { text: 'Consent by purpose and channel' }),
      table('consent-current', current, 'No consent stated.'),
      el('h2', { text: 'Consent history' }),
      history);
    // right below the profile, above the identities table and the timeline
    const profile = document.querySelector('#customer .grid');
    if (profile) profile.after(panel); else document.getElementById('customer').append(panel);
    const statements = [];
    const more = async (offset) => {
      try {
        const page = await api('GET', '/api/v1/customers/' + path(customer.id) + '/consents?offset=' + offset + '&limit=' + PAGE);
        statements.push(...page.statements);
        const older = page.nextOffset !== null && page.nextOffset !== undefined;
        history.replaceChildren(table('consent-statements', statements, 'No statement yet.'),
          ...(older ? [el('button', { id: 'consent-older', text: 'Older statements', onclick: () => more(page.nextOffset) })] : []));
      } catch (error) {
        history.replaceChildren(el('div', { class: 'error', text: error.message }));
      }
    };
    await more(0);
  }

  extensions.customerSections.push(customerConsent);
})();
