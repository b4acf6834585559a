// A panel that opens from a button and closes on Escape, on a click outside it, or when its
// opener is pressed again; the quality menu, the stop-share confirmation, the volumes and the
// settings all behave the same way.

import { setAttr } from './dom.js';

export class Popover {
  /**
   * @param {HTMLElement} opener   the button that toggles it
   * @param {HTMLElement} panel    the panel, already in the page and hidden
   * @param {{onOpen?: () => void, onClose?: () => void}} [hooks]
   */
  constructor(opener, panel, hooks = {}) {
    this.opener = opener;
    this.panel = panel;
    this.hooks = hooks;
    panel.hidden = true;
    setAttr(opener, 'aria-expanded', 'false');
    setAttr(opener, 'aria-controls', panel.id || null);
    this.onOutside = (/** @type {Event} */ event) => {
      const target = /** @type {Node} */ (event.target);
      if (!this.panel.contains(target) && !this.opener.contains(target)) this.close(false);
    };
    this.onKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
    };
    opener.addEventListener('click', () => (this.isOpen ? this.close(false) : this.open()));
    panel.addEventListener('keydown', this.onKey);
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  open() {
    if (this.isOpen) return;
    this.panel.hidden = false;
    setAttr(this.opener, 'aria-expanded', 'true');
    this.hooks.onOpen?.();
    const first = /** @type {HTMLElement|null} */ (
      this.panel.querySelector('[autofocus], button:not([disabled]), select, input, [tabindex="0"]')
    );
    first?.focus();
    // Attached on the next tick, so the click that opened the panel does not close it.
    setTimeout(() => this.isOpen && document.addEventListener('pointerdown', this.onOutside), 0);
  }

  /** @param {boolean} refocus give focus back to the opener (keyboard close) */
  close(refocus = false) {
    document.removeEventListener('pointerdown', this.onOutside);
    if (!this.isOpen) return;
    this.panel.hidden = true;
    setAttr(this.opener, 'aria-expanded', 'false');
    this.hooks.onClose?.();
    if (refocus && this.opener.isConnected) this.opener.focus();
  }
}
