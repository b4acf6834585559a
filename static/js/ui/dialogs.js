// Modal dialogs (native <dialog>: focus trapped, Escape closes): create a room, and confirm.

import { messageOf } from '../lib/controller.js';
import { byId, setText } from './dom.js';

export class CreateRoomDialog {
  /**
   * @param {import('../lib/controller.js').RoomController} controller
   * @param {{onCreated: () => void, rules?: {maxLength: number, allowed: string}}} hooks  `rules`:
   *   the server's room name rules, from the page's config
   */
  constructor(controller, hooks) {
    this.controller = controller;
    this.hooks = hooks;
    this.rules = hooks.rules ?? null;
    this.count = byId('room-name-count');
    this.dialog = /** @type {HTMLDialogElement} */ (byId('create-room-dialog'));
    this.form = /** @type {HTMLFormElement} */ (byId('create-room-form'));
    this.name = /** @type {HTMLInputElement} */ (byId('room-name-input'));
    this.error = byId('create-room-error');
    this.submit = /** @type {HTMLButtonElement} */ (byId('create-room-submit'));
  }

  mount() {
    byId('create-room-button').addEventListener('click', () => this.open());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });
    this.dialog.querySelector('[data-close]')?.addEventListener('click', () => this.dialog.close());
    // Never cut a name short without a word: count as it is typed, refuse what is too long.
    this.name.addEventListener('input', () => this.renderCount());
    if (this.rules) setText(byId('room-name-hint'), `Up to ${this.rules.maxLength} characters: ${this.rules.allowed}.`);
  }

  /** The name's length, counted as the server counts it (UTF-16 units, as JavaScript's length). */
  renderCount() {
    if (!this.rules) return;
    const length = this.name.value.trim().length;
    const over = length > this.rules.maxLength;
    setText(this.count, `${length} / ${this.rules.maxLength}`);
    this.count.classList.toggle('is-over', over);
    this.name.setAttribute('aria-invalid', over ? 'true' : 'false');
  }

  open() {
    this.form.reset();
    setText(this.error, '');
    this.renderCount();
    this.dialog.showModal();
    this.name.focus();
  }

  async create() {
    if (!this.form.reportValidity()) return;
    const length = this.name.value.trim().length;
    if (this.rules && length > this.rules.maxLength) {
      setText(this.error, `Room name must be ${this.rules.maxLength} characters or less (this one has ${length})`);
      this.name.focus();
      return;
    }
    const type = new FormData(this.form).get('type') === 'video' ? 'video' : 'voice';
    this.submit.disabled = true;
    setText(this.submit, 'Creating…');
    try {
      await this.controller.createRoom(this.name.value, type);
      this.dialog.close();
      this.hooks.onCreated();
    } catch (error) {
      setText(this.error, messageOf(error));
    } finally {
      this.submit.disabled = false;
      setText(this.submit, 'Create');
    }
    // The disabled button lost the focus: give it to the name, where the fix is typed.
    if (this.dialog.open) this.name.focus();
  }
}

export class ConfirmDialog {
  constructor() {
    this.dialog = /** @type {HTMLDialogElement} */ (byId('confirm-dialog'));
    this.title = byId('confirm-title');
    this.text = byId('confirm-text');
    this.ok = byId('confirm-ok');
  }

  /**
   * Asks a yes/no question; resolves true only for the confirming button.
   * @param {{title: string, text: string, confirm: string, danger?: boolean}} question  `danger`:
   *   the confirming button is red (it destroys something), else the ordinary primary colour
   * @returns {Promise<boolean>}
   */
  ask({ title, text, confirm, danger = true }) {
    this.ok.classList.toggle('button-danger', danger);
    this.ok.classList.toggle('button-primary', !danger);
    setText(this.title, title);
    setText(this.text, text);
    setText(this.ok, confirm);
    this.dialog.returnValue = '';
    this.dialog.showModal();
    return new Promise((resolve) => {
      this.dialog.addEventListener('close', () => resolve(this.dialog.returnValue === 'ok'), { once: true });
    });
  }
}
