// Video on the people tiles, speaking rings, spotlight and the room list's speaking dots.

export class MediaStage {
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
