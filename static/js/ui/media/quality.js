// The connection-quality bars in the user bar: four bars coloured by the 1.x tiers, a blue
// sweep while the call connects, and a tooltip (hover or keyboard focus) with RTT, jitter,
// packet loss, the rough distance and the server's city from /api/server-info.

import { SWEEP_INTERVAL_MS, UNKNOWN_TIER, sweepBar, tooltipLines } from '../../media/rules/quality.js';
import { byId, el, keyedList, setAttr } from '../dom.js';

export class QualityWidget {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    /** @type {string | null} */
    this.city = null;
    this.tick = 0;
    /** @type {number | null} */
    this.sweep = null;
  }

  mount() {
    this.bars = [0, 1, 2, 3].map(() => el('span', { className: 'quality-bar', attrs: { 'aria-hidden': 'true' } }));
    this.tooltip = el('ul', { className: 'quality-tooltip', attrs: { id: 'quality-tooltip', role: 'tooltip' } });
    this.button = el(
      'button',
      { className: 'quality', attrs: { type: 'button', id: 'connection-quality', 'aria-describedby': 'quality-tooltip' } },
      ...this.bars,
      this.tooltip,
    );
    byId('connection-quality-slot').append(this.button);
    void this.loadCity();
  }

  async loadCity() {
    try {
      const { city } = await this.controller.api.serverInfo();
      this.city = typeof city === 'string' && city ? city : null;
      this.render(this.layer.getState());
    } catch {
      // The city is a nicety; without it the tooltip simply leaves the line out.
    }
  }

  /** @param {import('../../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    if (!this.button || !this.tooltip || !this.bars) return;
    const state = phase(snapshot.connection.state);
    const { tier, measurements } = snapshot.quality;
    const waiting = state === 'connecting' || state === 'reconnecting' || (state === 'connected' && tier === UNKNOWN_TIER);
    this.animate(waiting);
    const lit = waiting ? sweepBar(this.tick) : -1;
    this.bars.forEach((bar, index) => {
      bar.classList.toggle('is-on', !waiting && index < tier.bars);
      bar.classList.toggle('is-sweep', index === lit);
    });
    this.button.className = `quality quality-${waiting ? 'connecting' : tier.colour}`;
    const inRoom = this.controller.state.joinedRoomId !== null;
    const lines = tooltipLines({ state, measurements, tier, city: this.city, inRoom });
    setAttr(this.button, 'aria-label', `Connection quality: ${waiting ? 'connecting' : tier.label}`);
    keyedList(this.tooltip, lines.map((text, index) => ({ text, index })), {
      key: (line) => line.index,
      create: () => el('li'),
      update: (node, line) => {
        if (node.textContent !== line.text) node.textContent = line.text;
      },
    });
  }

  /** Runs the sweep only while something is pending, so an idle page has no timer. @param {boolean} on */
  animate(on) {
    if (on && this.sweep === null) {
      this.sweep = window.setInterval(() => {
        this.tick += 1;
        this.render(this.layer.getState());
      }, SWEEP_INTERVAL_MS);
    } else if (!on && this.sweep !== null) {
      window.clearInterval(this.sweep);
      this.sweep = null;
    }
  }
}

/**
 * The tooltip's view of the connection.
 * @param {string} state
 * @returns {'connected' | 'connecting' | 'reconnecting' | 'disconnected'}
 */
function phase(state) {
  if (state === 'connected' || state === 'connecting' || state === 'reconnecting') return state;
  return 'disconnected';
}
