// The chat of the room page, built in one place: the model fed from the page's state, its
// sound through the media boundary's moments, and its two views (the panel, the bubbles).

import { ChatBubbles } from './bubbles-view.js';
import { ChatController } from './chat-model.js';
import { ChatPanel } from './chat-panel.js';

/**
 * @param {{api: any, controller: import('../lib/controller.js').RoomController,
 *   media: {moment: (name: string, payload: any) => void}}} deps
 */
export function createChat({ api, controller, media }) {
  const { state } = controller;
  const model = new ChatController({
    api,
    // Others' lines sound the pack's chat sound (media/adapters/browser-media.js).
    hooks: { emit: (name, payload) => media.moment(name, payload) },
    room: {
      roomId: () => state.currentRoomId,
      meId: () => state.me.id,
      meUsername: () => state.me.username,
      members: () => (state.members.get(state.currentRoomId ?? -1) ?? []).map((user) => user.username),
    },
  });
  return {
    model,
    /** @param {import('../ui/drawers.js').Drawers} drawers */
    views: (drawers) => [new ChatPanel(model, controller, drawers), new ChatBubbles(model, controller)],
  };
}
