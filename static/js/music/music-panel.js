// The Music button in the call's control bar and its popover "DJ Tokoloshe" (2.x): now
// playing, pause and skip, the station, the queue; ours adds queueing a URL or a file, and for
// the room's creator turning music on and locking it.

import { el, icon, setAttr, setText, show } from '../ui/dom.js';
import { Popover } from '../ui/popover.js';
import { popoverView, showsMusicButton } from './music-view-model.js';

export class MusicPanel {
  /**
   * @param {object} deps
   * @param {import('./music-model.js').MusicModel} deps.music
   * @param {import('../lib/controller.js').RoomController} deps.controller
   */
  constructor({ music, controller }) {
    this.music = music;
    this.controller = controller;
  }

  mount() {
    this.button = el('button', {
      className: 'control-button music-button',
      attrs: { id: 'music-button', type: 'button', 'aria-label': 'Music', 'aria-haspopup': 'dialog' },
      dataset: { tooltip: 'Music' },
    }, icon('music'));
    this.panel = this.buildPanel();
    this.item = el('div', { className: 'control-item music-item' }, this.button, this.panel);
    this.item.hidden = true;
    this.popover = new Popover(this.button, this.panel, { onOpen: () => void this.music.ensureLoaded() });
  }

  buildPanel() {
    const field = (/** @type {string} */ cls) => el('span', { className: cls });
    this.loading = el('p', { className: 'music-loading' });
    this.settingsRow = el('div', { className: 'music-settings' },
      this.enabledBox = el('input', { attrs: { type: 'checkbox', id: 'music-enabled' } }),
      el('label', { attrs: { for: 'music-enabled' }, text: 'Music in this room' }),
      this.lockedBox = el('input', { attrs: { type: 'checkbox', id: 'music-locked' } }),
      el('label', { attrs: { for: 'music-locked' }, text: 'Only I control it' }));
    this.enabledBox.addEventListener('change', () => void this.music.configure({ enabled: this.enabledBox.checked }));
    this.lockedBox.addEventListener('change', () => void this.music.configure({ locked: this.lockedBox.checked }));
    this.pauseButton = el('button', { className: 'button button-small', attrs: { type: 'button', id: 'music-pause' } });
    this.skipButton = el('button', { className: 'button button-small', attrs: { type: 'button', id: 'music-skip', 'aria-label': 'Skip' }, text: '⏭' });
    this.pauseButton.addEventListener('click', () => void this.music.pause());
    this.skipButton.addEventListener('click', () => void this.music.skip());
    this.stationSelect = /** @type {HTMLSelectElement} */ (el('select', { attrs: { id: 'music-station' } }));
    this.stationSelect.addEventListener('change', () => void this.music.station(this.stationSelect.value));
    this.queueList = el('ul', { className: 'music-queue', attrs: { id: 'music-queue' } });
    this.urlInput = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'url', id: 'music-url', placeholder: 'https://… (an audio file or stream)' } }));
    this.fileInput = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'file', id: 'music-file', accept: 'audio/*', 'aria-label': 'Queue an audio file' } }));
    const add = el('form', { className: 'music-add' }, this.urlInput,
      el('button', { className: 'button button-small', attrs: { type: 'submit' }, text: 'Queue' }), this.fileInput);
    add.addEventListener('submit', (event) => {
      event.preventDefault();
      const url = this.urlInput.value.trim();
      if (url) void this.music.enqueue(url).then(() => { this.urlInput.value = ''; });
    });
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) void this.music.upload(file).then(() => { this.fileInput.value = ''; });
    });
    this.body = el('div', { className: 'music-body' },
      el('p', { className: 'music-label', text: 'Now Playing' }),
      this.nowPlaying = el('p', { className: 'music-now', attrs: { id: 'music-now-playing' } }),
      this.subtitle = field('music-subtitle'),
      el('div', { className: 'music-controls' }, this.pauseButton, this.skipButton),
      el('label', { className: 'music-label', attrs: { for: 'music-station' }, text: 'Radio Station' }),
      this.stationSelect,
      this.queueHeading = el('p', { className: 'music-label' }),
      this.queueList,
      add);
    this.errorLine = el('p', { className: 'music-error', attrs: { role: 'alert' } });
    return el('div', { className: 'control-popover music-popover', attrs: { id: 'music-popover', role: 'dialog', 'aria-labelledby': 'music-heading' } },
      el('h2', { className: 'control-popover-title', attrs: { id: 'music-heading' }, text: 'DJ Tokoloshe' }),
      this.settingsRow, this.loading, this.body, this.errorLine);
  }

  /** @param {import('../media/models/media-snapshot.js').MediaSnapshot} snapshot */
  render(snapshot) {
    if (!this.item || !this.popover) return;
    if (!this.item.isConnected) document.getElementById('control-bar')?.append(this.item);
    const { state } = this.controller;
    const room = state.currentRoomId === null ? null : state.rooms.get(state.currentRoomId);
    const canConfigure = Boolean(room && (room.created_by === state.me.id || state.me.is_staff));
    const inCall = snapshot.connection.roomId === state.currentRoomId;
    const visible = inCall && showsMusicButton(inCall ? snapshot.participants : [], canConfigure);
    show(this.item, visible);
    if (visible) void this.music.ensureLoaded();
    if (!visible) this.popover.close(false);
    if (this.popover.isOpen) this.renderPanel(canConfigure);
  }

  /** @param {boolean} canConfigure */
  renderPanel(canConfigure) {
    const view = popoverView(this.music.status, { canConfigure });
    show(this.loading, view.loading);
    setText(this.loading, view.loading ? view.loadingText : '');
    setText(this.errorLine, this.music.error || (!view.loading && view.error) || '');
    show(this.settingsRow, !view.loading && canConfigure);
    show(this.body, !view.loading && Boolean(view.enabled));
    if (view.loading) return;
    /** @type {HTMLInputElement} */ (this.enabledBox).checked = Boolean(view.enabled);
    /** @type {HTMLInputElement} */ (this.lockedBox).checked = Boolean(view.locked);
    setText(this.nowPlaying, view.nowPlaying ?? '');
    setText(this.subtitle, view.subtitle ?? '');
    setText(this.pauseButton, view.pauseLabel ?? '');
    setAttr(this.pauseButton, 'aria-label', view.pauseName ?? '');
    show(this.skipButton, Boolean(view.showSkip));
    this.renderStations(view.stations ?? []);
    setText(this.queueHeading, view.queueHeading ?? '');
    this.renderQueue(view.queue ?? []);
  }

  /** @param {{value: string, label: string, selected: boolean}[]} stations */
  renderStations(stations) {
    const select = /** @type {HTMLSelectElement} */ (this.stationSelect);
    const wanted = JSON.stringify(stations.map((s) => [s.value, s.label]));
    if (select.dataset.options !== wanted) {
      select.replaceChildren(...stations.map((s) => el('option', { attrs: { value: s.value }, text: s.label })));
      select.dataset.options = wanted;
    }
    const current = stations.find((s) => s.selected);
    if (current && document.activeElement !== select) select.value = current.value;
  }

  /** @param {{id: string, title: string, addedBy: string}[]} entries */
  renderQueue(entries) {
    const list = /** @type {HTMLElement} */ (this.queueList);
    list.replaceChildren(...entries.map((entry) => {
      const remove = el('button', { className: 'icon-button music-remove', attrs: { type: 'button', 'aria-label': `Remove ${entry.title}` }, text: '✕' });
      remove.addEventListener('click', () => void this.music.remove(entry.id));
      return el('li', { className: 'music-entry' }, el('span', { className: 'music-entry-title', text: entry.title }),
        el('span', { className: 'music-entry-by', text: entry.addedBy }), remove);
    }));
  }
}
