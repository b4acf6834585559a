// The soundboard panel (2.x's): every clip with Preview, Play/Stop, its name and uploader, and
// Delete (asking `Delete?` first) for its uploader and staff; `Add` opens the upload row (name,
// file, Upload, which opens the trimmer); two volumes, both remembered: my clips as the room
// hears them, and others' clips as I hear them. Server errors are shown as they come.

import { byId, el, keyedList, setAttr, setText, show } from '../ui/dom.js';

export const EMPTY_TEXT = 'No clips yet — add one!';

export class SoundboardPanel {
  /**
   * @param {import('./page.js').Soundboard} board
   */
  constructor(board) {
    this.board = board;
    this.panel = byId('soundboard-panel');
    this.button = byId('soundboard-button');
    this.list = byId('soundboard-clips');
    this.empty = byId('soundboard-empty');
    this.error = byId('soundboard-error');
    this.addButton = byId('soundboard-add');
    this.form = /** @type {HTMLFormElement} */ (byId('soundboard-upload'));
    this.nameInput = /** @type {HTMLInputElement} */ (byId('soundboard-name'));
    this.fileInput = /** @type {HTMLInputElement} */ (byId('soundboard-file'));
    this.volume = /** @type {HTMLInputElement} */ (byId('soundboard-volume'));
    this.hearing = /** @type {HTMLInputElement} */ (byId('soundboard-hearing'));
    /** @type {number|null} the clip whose Delete asks `Delete?` */
    this.confirming = null;
  }

  mount() {
    this.board.trimmer.mount();
    this.button.addEventListener('click', () => this.toggle());
    byId('soundboard-close').addEventListener('click', () => this.toggle(false));
    this.addButton.addEventListener('click', () => {
      const open = this.form.hidden;
      show(this.form, open);
      setAttr(this.addButton, 'aria-expanded', open ? 'true' : 'false');
      if (open) this.nameInput.focus();
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const file = this.fileInput.files?.[0];
      if (!file) return this.showError('Choose a file first');
      this.showError(null);
      void this.board.startUpload(file, this.nameInput.value).then((done) => {
        if (!done) return;
        this.form.reset();
      });
    });
    this.volume.addEventListener('input', () => this.board.setVolume(Number(this.volume.value)));
    this.hearing.addEventListener('input', () => this.board.setHearing(Number(this.hearing.value)));
    byId('soundboard-mute').addEventListener('click', () => {
      // 2.x's speaker icon: 0 ↔ 0.5.
      this.board.setVolume(this.board.volume() > 0 ? 0 : 0.5);
      this.render();
    });
  }

  /** @param {boolean} [open] */
  toggle(open = this.panel.hidden) {
    show(this.panel, open);
    setAttr(this.button, 'aria-expanded', open ? 'true' : 'false');
    if (open) void this.board.load();
  }

  /** @param {string|null} message */
  showError(message) {
    show(this.error, Boolean(message));
    setText(this.error, message ?? '');
  }

  render() {
    const board = this.board;
    show(this.button, board.inRoom());
    if (!board.inRoom() && !this.panel.hidden) this.toggle(false);
    this.showError(board.error);
    const clips = board.model.clips;
    show(this.empty, clips.length === 0);
    setText(this.empty, EMPTY_TEXT);
    if (document.activeElement !== this.volume) this.volume.value = String(board.volume());
    if (document.activeElement !== this.hearing) this.hearing.value = String(board.hearing());
    const mine = board.playingName();
    keyedList(this.list, clips, {
      key: (clip) => clip.id,
      create: (clip) => this.createRow(clip.id),
      update: (node, clip) => this.updateRow(node, clip, mine),
    });
  }

  /** @param {number} clipId */
  createRow(clipId) {
    const button = (/** @type {string} */ cls, /** @type {() => void} */ onClick) => {
      const node = el('button', { className: `button button-small ${cls}`, attrs: { type: 'button' } });
      node.addEventListener('click', onClick);
      return node;
    };
    const clip = () => this.board.model.clips.find((c) => c.id === clipId);
    const ask = () => {
      this.confirming = clipId;
      this.render();
    };
    const yes = () => {
      this.confirming = null;
      const found = clip();
      if (found) void this.board.remove(found);
    };
    const no = () => {
      this.confirming = null;
      this.render();
    };
    return el('li', { className: 'soundboard-clip', dataset: { clipId } },
      button('button-quiet soundboard-preview', () => { const c = clip(); if (c) void this.board.preview(c); }),
      button('button-primary soundboard-play', () => { const c = clip(); if (c) void this.board.playOrStop(c); }),
      el('span', { className: 'soundboard-clip-text' },
        el('span', { className: 'soundboard-clip-name' }), el('span', { className: 'soundboard-clip-by' })),
      el('span', { className: 'soundboard-delete' },
        button('button-quiet soundboard-delete-ask', ask),
        el('span', { className: 'soundboard-delete-confirm' }, el('span', { text: 'Delete?' }),
          button('button-danger soundboard-delete-yes', yes), button('button-quiet soundboard-delete-no', no))));
  }

  /** @param {HTMLElement} node @param {import('./model.js').Clip} clip @param {string|null} mine */
  updateRow(node, clip, mine) {
    const q = (/** @type {string} */ s) => /** @type {HTMLElement} */ (node.querySelector(s));
    const playing = mine !== null && this.board.playingId() === clip.id;
    setText(q('.soundboard-preview'), 'Preview');
    setAttr(q('.soundboard-preview'), 'aria-label', `Preview ${clip.name} locally`);
    const play = /** @type {HTMLButtonElement} */ (q('.soundboard-play'));
    setText(play, playing ? 'Stop' : 'Play');
    setAttr(play, 'aria-label', `${playing ? 'Stop' : 'Play'} ${clip.name} to the room`);
    play.disabled = !this.board.canPlay();
    setText(q('.soundboard-clip-name'), clip.name);
    setText(q('.soundboard-clip-by'), clip.uploaderName);
    const deletable = this.board.canDelete(clip);
    show(q('.soundboard-delete'), deletable);
    const asking = this.confirming === clip.id;
    show(q('.soundboard-delete-ask'), !asking);
    show(q('.soundboard-delete-confirm'), asking);
    setText(q('.soundboard-delete-ask'), 'Delete');
    setAttr(q('.soundboard-delete-ask'), 'aria-label', `Delete ${clip.name}`);
    setText(q('.soundboard-delete-yes'), 'Yes');
    setText(q('.soundboard-delete-no'), 'No');
  }
}
