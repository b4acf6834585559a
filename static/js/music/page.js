// DJ Tokoloshe on the room page, built in one place: the player's model (fed by `music:status`
// frames), the Music button and popover, and the bots' tiles.

import { BotTiles } from './bot-tiles.js';
import { MusicModel } from './music-model.js';
import { MusicPanel } from './music-panel.js';

/**
 * @param {{api: any, controller: import('../lib/controller.js').RoomController}} deps
 */
export function createMusic({ api, controller }) {
  const music = new MusicModel({ api, roomId: () => controller.state.currentRoomId });
  return {
    model: music,
    /** The views drawn with the call's snapshot (they need its participants). */
    mediaViews: () => [new MusicPanel({ music, controller }), new BotTiles({ music, controller })],
  };
}
