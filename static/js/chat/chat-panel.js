// The chat panel beside the stage: the current room's lines (older pages on demand), the box
// to write in with a pasted image, what went wrong when a send failed, and the chat button in
// the header with the room's unread count. Collapsible on wide screens, a drawer on phones.

import { canDeleteLine } from './permissions.js';
import { clockTime, imageNode, textNodes } from './line-view.js';
import { byId, el, icon, keyedList, setAttr, setText, show } from '../ui/dom.js';

const COLLAPSED_KEY = 'distokoloshe.chatCollapsed';
/** Wide enough for drawers to be columns, too narrow for four of them. */
const CROWDED_QUERY = '(min-width: 768px) and (max-width: 1099px)';
/** How close to the bottom (px) still counts as reading the newest lines. */
const STICKY_PX = 40;

export class ChatPanel {
  /**
   * @param {import('./chat-model.js').ChatController} chat
   * @param {import('../lib/controller.js').RoomController} controller
   * @param {import('../ui/drawers.js').Drawers} drawers
   */
  constructor(chat, controller, drawers) {
    this.chat = chat;
    this.controller = controller;
    this.drawers = drawers;
    this.app = byId('app');
    this.panel = byId('chat-panel');
    this.button = byId('chat-button');
    this.badge = byId('chat-unread');
    this.scroller = byId('chat-scroll');
    this.lines = byId('chat-lines');
    this.empty = byId('chat-empty');
    this.older = /** @type {HTMLButtonElement} */ (byId('chat-older'));
    this.error = byId('chat-error');
    this.form = /** @type {HTMLFormElement} */ (byId('chat-form'));
    this.input = /** @type {HTMLInputElement} */ (byId('chat-input'));
    this.send = /** @type {HTMLButtonElement} */ (byId('chat-send'));
    this.attachment = byId('chat-attachment');
    /** The attached image's thumbnail, made only while there is one. @type {HTMLImageElement|null} */
    this.preview = null;
    /** @type {Blob|null} */
    this.image = null;
    this.collapsed = readCollapsed();
  }

  mount() {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.input.addEventListener('paste', (event) => this.paste(event));
    byId('chat-attachment-remove').addEventListener('click', () => this.attach(null));
    this.older.addEventListener('click', () => void this.chat.loadOlder());
    byId('chat-hide').addEventListener('click', () => {
      if (this.drawers.mobile) this.drawers.close();
      else {
        this.setCollapsed(true);
        // The hide button is gone with the panel: focus goes back to what opens it.
        this.button.focus();
      }
    });
    document.addEventListener('visibilitychange', () => this.watch());
    this.drawers.wide.chat = () => {
      this.setCollapsed(!this.collapsed);
      // Opened by hand: ready to type. Never on load, where keys belong to the call's hotkeys.
      if (!this.collapsed) this.input.focus();
    };
    this.drawers.onChange.add(() => this.watch());
    this.setCollapsed(this.collapsed, false);
  }

  /** @param {boolean} collapsed @param {boolean} [remember] whether the person chose it */
  setCollapsed(collapsed, remember = true) {
    this.collapsed = collapsed;
    try {
      if (remember) window.localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
    } catch {
      // Storage may be off (private windows); the panel still folds for this page.
    }
    this.app.classList.toggle('chat-collapsed', collapsed);
    this.watch();
  }

  /** Whether the person can see the lines: the panel open, the page in front. */
  watch() {
    const open = this.drawers.mobile ? this.drawers.open === 'chat' : !this.collapsed;
    if (!this.drawers.mobile) setAttr(this.button, 'aria-expanded', open ? 'true' : 'false');
    this.chat.setWatching(open && document.visibilityState === 'visible');
  }

  render() {
    this.chat.follow();
    const { state } = this.controller;
    const inRoom = this.chat.roomId !== null;
    const { scroller } = this;
    const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_PX;
    const lines = this.chat.ordered();
    const members = inRoom ? (state.members.get(this.chat.roomId ?? -1) ?? []).map((user) => user.username) : [];
    const who = { members, me: state.me.username };
    keyedList(this.lines, lines, {
      key: (line) => line.id,
      create: (line) => this.createLine(line, who),
      update: (node, line) => {
        const remove = /** @type {HTMLElement} */ (node.querySelector('.chat-delete'));
        show(remove, canDeleteLine(state, line));
      },
    });
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    show(this.empty, !lines.length && !this.chat.loading);
    setText(this.empty, inRoom ? 'No messages yet. Say hello!' : 'Join a room to chat.');
    show(this.older, inRoom && this.chat.nextBefore !== null);
    this.older.disabled = this.chat.loading;
    show(this.error, this.chat.error !== null);
    setText(this.error, this.chat.error?.message ?? '');
    this.input.disabled = !inRoom;
    this.send.disabled = !inRoom || this.chat.sending;
    const unread = inRoom ? (this.chat.unread.get(this.chat.roomId ?? -1) ?? 0) : 0;
    show(this.badge, unread > 0);
    setText(this.badge, unread > 99 ? '99+' : String(unread));
    setAttr(this.button, 'aria-label', unread ? `Chat, ${unread} unread` : 'Chat');
  }

  /** @param {import('./chat-model.js').ChatLine} line @param {{members: string[], me: string}} who */
  createLine(line, who) {
    const name = this.chat.senderName(line);
    const mine = line.user?.id === this.controller.state.me.id;
    const remove = el('button', {
      className: 'icon-button chat-delete',
      attrs: { type: 'button', 'aria-label': `Delete message from ${name}` },
      on: { click: () => void this.chat.remove(line.id) },
    }, icon('trash'));
    const body = el('p', { className: 'chat-text' }, ...textNodes(line.text ?? '', who));
    const node = el('li', { className: 'chat-line', dataset: { messageId: line.id } },
      el('div', { className: 'chat-meta' },
        el('span', { className: 'chat-author', text: name }),
        el('time', { className: 'chat-time', text: clockTime(line.ts), attrs: { datetime: new Date(line.ts).toISOString() } }),
        remove),
      line.text ? body : null,
      imageNode(line, `Image from ${name}`));
    node.classList.toggle('is-mine', mine);
    node.classList.toggle('is-mention', !mine && this.chat.mentionsMe(line));
    return node;
  }

  async submit() {
    const text = this.input.value;
    if (await this.chat.send({ text, image: this.image })) {
      // Only what was sent is cleared: typing on while it went out is kept.
      if (this.input.value === text) this.input.value = '';
      this.attach(null);
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
    this.input.focus();
  }

  /** A pasted image is attached, shown as a thumbnail until sent or removed. @param {ClipboardEvent} event */
  paste(event) {
    const item = [...(event.clipboardData?.items ?? [])].find((entry) => entry.kind === 'file' && entry.type.startsWith('image/'));
    const file = item?.getAsFile();
    if (!file) return;
    event.preventDefault();
    this.attach(file);
  }

  /** @param {Blob|null} image */
  attach(image) {
    if (this.preview) {
      URL.revokeObjectURL(this.preview.src);
      this.preview.remove();
      this.preview = null;
    }
    this.image = image;
    if (image) {
      const src = URL.createObjectURL(image);
      this.preview = /** @type {HTMLImageElement} */ (el('img', { className: 'chat-attachment-image', attrs: { src, alt: 'Image to send' } }));
      this.attachment.prepend(this.preview);
    }
    show(this.attachment, image !== null);
  }
}

/** The person's last choice; without one, folded where a fourth column would crowd the stage. */
function readCollapsed() {
  let stored = null;
  try {
    stored = window.localStorage.getItem(COLLAPSED_KEY);
  } catch {
    // Storage may be off (private windows).
  }
  return stored === null ? window.matchMedia(CROWDED_QUERY).matches : stored === '1';
}
