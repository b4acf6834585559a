// Hang up, beside the microphone: leaving is a call control, where the hand already is, not
// only a button at the far end of the header. Not offered in a jail, which cannot be left.

import { myPunishment, roomIsJail } from '../../lib/state.js';
import { byId, el, icon, setAttr, show } from '../dom.js';

export class HangUpButton {
  /**
   * @param {object} deps
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ controller }) {
    this.controller = controller;
  }

  mount() {
    this.button = el('button', {
      className: 'control-button control-hang-up',
      attrs: { type: 'button', id: 'media-hang-up-button', 'aria-label': 'Leave the room', 'data-tooltip': 'Leave the room' },
      on: { click: () => void this.controller.leaveRoom() },
    }, icon('phone-off'));
    // Straight after the microphone (and its push-to-talk switch), where the hand already is.
    byId('control-bar').querySelector('.control-mic-group')?.after(this.button);
  }

  render() {
    if (!this.button) return;
    const { state, ui } = this.controller;
    const roomId = state.currentRoomId;
    show(this.button, roomId !== null && !roomIsJail(state, roomId) && myPunishment(state) === null);
    setAttr(this.button, 'aria-disabled', ui.busy.has('leave') ? 'true' : null);
  }
}
