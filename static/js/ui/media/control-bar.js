// The floating control bar: mic, camera, deafen, push-to-talk, screen share, volumes, settings.

export class ControlBar {
  /**
   * @param {object} deps
   * @param {import('../../media/browser.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
  }

  mount() {}

  /** @param {import('../../media/snapshot.js').MediaSnapshot} _snapshot */
  render(_snapshot) {}
}
