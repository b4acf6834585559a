// On narrow screens (767 px and below) the rooms, people and chat sidebars become drawers that
// slide over the room; elsewhere they are plain columns (the chat's button folds it there).
// Closed drawers are inert, so keyboard focus never lands in something off-screen.

import { byId, setAttr, show } from './dom.js';

export const MOBILE_QUERY = '(max-width: 767px)';

export class Drawers {
  constructor() {
    this.query = window.matchMedia(MOBILE_QUERY);
    this.backdrop = byId('drawer-backdrop');
    this.drawers = {
      rooms: { panel: byId('rooms-panel'), button: byId('rooms-drawer-button') },
      people: { panel: byId('people-panel'), button: byId('people-drawer-button') },
      chat: { panel: byId('chat-panel'), button: byId('chat-button') },
    };
    /** @type {'rooms'|'people'|'chat'|null} */
    this.open = null;
    /** What a drawer's button does on wide screens instead, where one has it (the chat folds). */
    this.wide = /** @type {Partial<Record<'rooms'|'people'|'chat', () => void>>} */ ({});
    /** Called after every change of which drawer is open. @type {Set<() => void>} */
    this.onChange = new Set();
  }

  mount() {
    for (const [name, { button }] of Object.entries(this.drawers)) {
      const key = /** @type {'rooms'|'people'|'chat'} */ (name);
      button.addEventListener('click', () => {
        const wide = this.mobile ? undefined : this.wide[key];
        if (wide) wide();
        else this.toggle(key);
      });
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

  /** @param {'rooms'|'people'|'chat'} name */
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
      // A button with a wide-screen action says its own state there.
      if (mobile || !this.wide[/** @type {'rooms'|'people'|'chat'} */ (name)]) setAttr(button, 'aria-expanded', isOpen ? 'true' : 'false');
    }
    show(this.backdrop, mobile && this.open !== null);
    for (const listener of this.onChange) listener();
  }
}
