// A video room offers the camera: once the call is up with my camera off, a banner asks
// whether to turn it on. Asked once per join; "Not now" or turning it on ends the offer, so
// choosing Video when creating a room does more than add a tag.

import { byId, el, setText, show } from '../dom.js';

export class CameraOffer {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    /** The join whose offer was answered (or overtaken by the camera going on). @type {number|null} */
    this.answeredFor = null;
    this.joinSerial = 0;
    /** @type {number|null} */
    this.lastRoomId = null;
  }

  mount() {
    this.text = el('span', { className: 'media-banner-text' });
    const on = el('button', {
      className: 'button button-small button-primary',
      attrs: { type: 'button' },
      text: 'Turn camera on',
      on: { click: () => void this.accept() },
    });
    const later = el('button', {
      className: 'button button-small button-quiet',
      attrs: { type: 'button' },
      text: 'Not now',
      on: { click: () => this.answer() },
    });
    this.banner = el('div', { className: 'banner media-banner tone-info camera-offer', attrs: { id: 'camera-offer', role: 'status' } },
      this.text, on, later);
    this.banner.hidden = true;
    byId('media-stage').before(this.banner);
  }

  async accept() {
    this.answer();
    await this.layer.setCamera(true);
  }

  answer() {
    this.answeredFor = this.joinSerial;
    if (this.banner) show(this.banner, false);
  }

  /** @param {import('../../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    if (!this.banner || !this.text) return;
    const { connection } = snapshot;
    const roomId = connection.state === 'connected' ? connection.roomId : null;
    if (roomId !== this.lastRoomId) {
      this.lastRoomId = roomId;
      if (roomId !== null) this.joinSerial += 1;
    }
    const room = roomId === null ? undefined : this.controller.state.rooms.get(roomId);
    if (snapshot.camera.on && roomId !== null) this.answeredFor = this.joinSerial;
    const offer = room?.type === 'video' && this.answeredFor !== this.joinSerial;
    show(this.banner, offer);
    if (offer && room) setText(this.text, `${room.name} is a video room: turn your camera on?`);
  }
}
