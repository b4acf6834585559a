// What the header and banners say about the call: encryption, audio blocked, unreachable SFU.

export class MediaStatus {
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
