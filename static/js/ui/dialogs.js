// Modal dialogs (native <dialog>: focus trapped, Escape closes): create a room, and confirm.

import { messageOf } from '../lib/controller.js';
import { byId, setText } from './dom.js';

export class CreateRoomDialog {
  /** @param {import('../lib/controller.js').RoomController} controller @param {{onCreated: () => void}} hooks */
  constructor(controller, hooks) {
    this.controller = controller;
    this.hooks = hooks;
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
  }

  open() {
    this.form.reset();
    setText(this.error, '');
    this.dialog.showModal();
    this.name.focus();
  }

  async create() {
    if (!this.form.reportValidity()) return;
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
   * @param {{title: string, text: string, confirm: string}} question
   * @returns {Promise<boolean>}
   */
  ask({ title, text, confirm }) {
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
