/*
 * OmniHub console, demo mode: a hub started with --demo says so in the header and above every page,
 * with where its simulated channels are and what the hub sent them.
 */
'use strict';

(function () {
  const { el, api, extensions } = window.OmniHubConsole;

  async function markDemo() {
    const demo = await api('GET', '/api/v1/demo');
    if (!demo.enabled) return;
    document.body.classList.add('demo');
    document.getElementById('demo-mark').hidden = false;
    const seconds = demo.dayLengthSeconds;
    document.getElementById('page').before(el('div', { class: 'demo-banner', id: 'demo-banner' },
      el('b', { text: 'Demo mode. ' }),
      'The channels are simulated at ', el('span', { class: 'mono', text: demo.simulatorUrl }),
      seconds ? ' and a small brand\'s day is played against this hub every ' + seconds + ' s. ' : '. ',
      'Nothing reaches a real channel; ',
      el('a', { href: demo.requestsUrl, target: '_blank', rel: 'noopener', text: 'what the hub sent the simulated channels' }),
      ' is in the simulator\'s request journal.'));
  }

  extensions.onStart.push(markDemo);
})();
