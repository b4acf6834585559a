// The account tab of the settings: display name (others see it change at once), password
// (signs out every other browser and app), log out everywhere, and deleting the account, which
// says first what becomes of the rooms I made.

import { messageOf } from '../../lib/controller.js';
import { el, setText } from '../dom.js';

/**
 * A labelled input. @param {string} id @param {string} label
 * @param {Record<string, string|number|boolean>} attrs
 */
function field(id, label, attrs) {
  const input = /** @type {HTMLInputElement} */ (el('input', { attrs: { id, name: id, ...attrs } }));
  return { input, row: el('label', { className: 'field', attrs: { for: id } }, el('span', { className: 'field-label', text: label }), input) };
}

/** A form's line saying how its last submission went. @param {string} id */
function outcome(id) {
  return el('p', { className: 'settings-outcome', attrs: { id, role: 'status' } });
}

export const DELETE_EXPLAINED =
  'Deleting your account signs you out everywhere and frees your username. Rooms you created stay '
  + 'for everyone in them; only staff can delete them afterwards. Your chat messages and votes stay, '
  + 'shown as “Deleted user”. This cannot be undone.';

export class AccountSettings {
  /**
   * @param {object} deps
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   * @param {ReturnType<typeof import('../../lib/account-api.js').accountApi>} deps.account
   * @param {import('../dialogs.js').ConfirmDialog} deps.confirm
   * @param {() => void} deps.signedOut
   */
  constructor({ controller, account, confirm, signedOut }) {
    this.controller = controller;
    this.account = account;
    this.confirm = confirm;
    this.signedOut = signedOut;
    this.name = field('account-display-name', 'Display name', { type: 'text', maxlength: 64, required: true, autocomplete: 'nickname' });
    this.current = field('account-current-password', 'Current password', { type: 'password', required: true, autocomplete: 'current-password' });
    this.next = field('account-new-password', 'New password', { type: 'password', required: true, minlength: 8, maxlength: 128, autocomplete: 'new-password' });
    this.confirmNext = field('account-confirm-password', 'New password again', { type: 'password', required: true, autocomplete: 'new-password' });
    this.deletePassword = field('account-delete-password', 'Your password', { type: 'password', required: true, autocomplete: 'current-password' });
    this.nameOutcome = outcome('account-name-outcome');
    this.passwordOutcome = outcome('account-password-outcome');
    this.everywhereOutcome = outcome('account-everywhere-outcome');
    this.deleteOutcome = outcome('account-delete-outcome');
  }

  build() {
    const form = (/** @type {string} */ title, /** @type {() => Promise<void>} */ submit, /** @type {Node[]} */ ...children) => {
      const node = el('form', { className: 'settings-group account-form', attrs: { 'aria-label': title } },
        el('h3', { className: 'settings-heading', text: title }), ...children);
      node.addEventListener('submit', (event) => {
        event.preventDefault();
        void submit();
      });
      return node;
    };
    const button = (/** @type {string} */ text, className = 'button button-small') =>
      el('button', { className, attrs: { type: 'submit' }, text });
    return el('div', { className: 'account-settings' },
      form('Display name', () => this.rename(), this.name.row, button('Save name'), this.nameOutcome),
      form('Password', () => this.changePassword(),
        this.current.row, this.next.row, this.confirmNext.row,
        el('p', { className: 'settings-hint', text: 'Changing it signs you out of every other browser and app.' }),
        button('Change password'), this.passwordOutcome),
      form('Signed-in devices', () => this.logoutAll(),
        el('p', { className: 'settings-hint', text: 'Ends every other session and app token; this browser stays signed in.' }),
        button('Log out everywhere else'), this.everywhereOutcome),
      form('Delete account', () => this.deleteAccount(),
        el('p', { className: 'settings-hint', attrs: { id: 'account-delete-explained' }, text: DELETE_EXPLAINED }),
        this.deletePassword.row, button('Delete my account', 'button button-small button-danger'), this.deleteOutcome),
    );
  }

  opened() {
    this.name.input.value = this.controller.state.me.display_name;
    for (const line of [this.nameOutcome, this.passwordOutcome, this.everywhereOutcome, this.deleteOutcome]) setText(line, '');
  }

  async rename() {
    await this.attempt(this.nameOutcome, async () => {
      const { user } = await this.account.rename(this.name.input.value);
      // The same update everyone else gets by event; applied here too, socket or not.
      await this.controller.handleFrame('user:updated', { user });
      this.name.input.value = user.display_name;
      return 'Saved: everyone sees the new name.';
    });
  }

  async changePassword() {
    if (this.next.input.value !== this.confirmNext.input.value) {
      this.tell(this.passwordOutcome, 'The new passwords do not match.', true);
      return;
    }
    await this.attempt(this.passwordOutcome, async () => {
      await this.account.changePassword(this.current.input.value, this.next.input.value);
      for (const { input } of [this.current, this.next, this.confirmNext]) input.value = '';
      return 'Password changed. Every other browser and app was signed out.';
    });
  }

  async logoutAll() {
    await this.attempt(this.everywhereOutcome, async () => {
      await this.account.logoutAll();
      return 'Signed out everywhere else.';
    });
  }

  async deleteAccount() {
    const sure = await this.confirm.ask({ title: 'Delete your account?', text: DELETE_EXPLAINED, confirm: 'Delete my account' });
    if (!sure) return;
    await this.attempt(this.deleteOutcome, async () => {
      await this.account.deleteAccount(this.deletePassword.input.value);
      this.signedOut();
      return 'Your account was deleted.';
    });
  }

  /** @param {HTMLElement} line @param {() => Promise<string>} work */
  async attempt(line, work) {
    this.tell(line, 'Saving…', false);
    try {
      this.tell(line, await work(), false);
    } catch (error) {
      this.tell(line, messageOf(error), true);
    }
  }

  /** @param {HTMLElement} line @param {string} text @param {boolean} problem */
  tell(line, text, problem) {
    setText(line, text);
    line.classList.toggle('is-problem', problem);
  }
}
