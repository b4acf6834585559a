// 2.x's speech bubbles on the sender's tile in the room (the tiles are ui/room-people.js's;
// this adds a bubble stack to each and keeps it in step with the chat's Bubbles).

import { byId, el, keyedList } from '../ui/dom.js';
import { imageNode, textNodes } from './line-view.js';

export class ChatBubbles {
  /**
   * @param {import('./chat-model.js').ChatController} chat
   * @param {import('../lib/controller.js').RoomController} controller
   */
  constructor(chat, controller) {
    this.chat = chat;
    this.controller = controller;
    this.grid = byId('tile-grid');
  }

  render() {
    const now = this.chat.now();
    const { state } = this.controller;
    const members = (state.members.get(this.chat.roomId ?? -1) ?? []).map((user) => user.username);
    const who = { members, me: state.me.username };
    for (const tile of this.grid.children) {
      if (!(tile instanceof HTMLElement) || tile.dataset.userId === undefined) continue;
      const bubbles = this.chat.bubbles.current(Number(tile.dataset.userId), now);
      let stack = /** @type {HTMLElement|null} */ (tile.querySelector(':scope > .chat-bubbles'));
      if (!bubbles.length) {
        stack?.remove();
        continue;
      }
      if (!stack) {
        stack = el('div', { className: 'chat-bubbles', attrs: { 'aria-hidden': 'true' } });
        tile.append(stack);
      }
      keyedList(stack, bubbles, {
        key: (bubble) => bubble.key,
        create: (bubble) => el('div', { className: `chat-bubble${bubble.mine ? ' is-mine' : ''}` }),
        update: (node, bubble) => {
          // A merged line changes the bubble: refill it when its lines are not those shown.
          const ids = bubble.lines.map((line) => line.id).join(',');
          if (node.dataset.lines === ids) return;
          node.dataset.lines = ids;
          node.replaceChildren(...bubble.lines.map((line) => el('p', { className: 'chat-bubble-line' },
            ...textNodes(line.text ?? '', who), imageNode(line, 'Image'))));
          // The panel holds the same links for the keyboard; these are for the mouse only.
          for (const link of node.querySelectorAll('a')) link.tabIndex = -1;
        },
      });
    }
  }
}
