// On narrow screens (767 px and below) the rooms and people sidebars become drawers that slide
// over the room; elsewhere they are plain columns. Closed drawers are inert, so keyboard focus
// never lands in something off-screen.

import { byId, setAttr, show } from './dom.js';

export const MOBILE_QUERY = '(max-width: 767px)';

export class Drawers {
  constructor() {
    this.query = window.matchMedia(MOBILE_QUERY);
    this.backdrop = byId('drawer-backdrop');
    this.drawers = {
      rooms: { panel: byId('rooms-panel'), button: byId('rooms-drawer-button') },
      people: { panel: byId('people-panel'), button: byId('people-drawer-button') },
    };
    /** @type {'rooms'|'people'|null} */
    this.open = null;
  }

  mount() {
    for (const [name, { button }] of Object.entries(this.drawers)) {
      button.addEventListener('click', () => this.toggle(/** @type {'rooms'|'people'} */ (name)));
    }
    this.backdrop.addEventListener('click', () => this.close());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.open) {
        event.preventDefault();
        this.close();
      }
    });
    this.query.addEventListener('change', () => {
      this.open = null;
      this.sync();
    });
    this.sync();
  }

  get mobile() {
    return this.query.matches;
  }

  /** @param {'rooms'|'people'} name */
  toggle(name) {
    if (this.open === name) this.close();
    else {
      this.open = name;
      this.sync();
      const panel = this.drawers[name].panel;
      const first = /** @type {HTMLElement|null} */ (panel.querySelector('button, [href], input'));
      first?.focus();
    }
  }

  close() {
    const was = this.open;
    this.open = null;
    this.sync();
    if (was) this.drawers[was].button.focus();
  }

  sync() {
    const mobile = this.mobile;
    for (const [name, { panel, button }] of Object.entries(this.drawers)) {
      const isOpen = mobile && this.open === name;
      panel.classList.toggle('drawer-open', isOpen);
      setAttr(panel, 'inert', mobile && !isOpen);
      setAttr(button, 'aria-expanded', isOpen ? 'true' : 'false');
    }
    show(this.backdrop, mobile && this.open !== null);
  }
}
