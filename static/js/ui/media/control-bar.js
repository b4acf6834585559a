// The floating control bar: mic with its push-to-talk switch, camera, deafen, screen share,
// volumes and the settings gear (whose panel attaches itself to #media-settings-button).
//
// Everything is built once in mount(); render() only moves attributes and text, so a focused
// button or a slider being dragged is never replaced. What each button says comes from the
// DOM-free media/control-bar-model.js. A button whose action is still running is marked
// aria-disabled (not `disabled`, which would drop keyboard focus) and ignores clicks.

import { controlBarModel, shareMenu, volumeRows } from '../../media/models/control-bar-model.js';
import { percentToVolume } from '../../media/rules/volume.js';
import { byId, el, icon, keyedList, setText, show } from '../dom.js';
import { Popover } from '../popover.js';

/** @typedef {import('../../media/models/control-bar-model.js').BusyKey} BusyKey */
/** @typedef {import('../../media/models/control-bar-model.js').ButtonView} ButtonView */
/** @typedef {import('../../media/models/media-snapshot.js').MediaSnapshot} MediaSnapshot */
/** @typedef {{ node: HTMLElement, glyph: SVGElement, desc: HTMLElement | null }} ButtonRef */

export class ControlBar {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../lib/controller.js').RoomController} deps.controller
   */
  constructor({ layer, controller }) {
    this.layer = layer;
    this.controller = controller;
    /** @type {Set<BusyKey>} */
    this.busy = new Set();
    /** The "Share audio" tick made in the menu; remembered by the layer once a share starts. @type {boolean | null} */
    this.audioChoice = null;
    /** Which face the open share popover shows. @type {'menu' | 'dialog' | null} */
    this.shareView = null;
  }

  mount() {
    this.buildButtons();
    this.sharePanel = this.buildSharePanel();
    this.volumePanel = this.buildVolumePanel();
    const shareItem = el('div', { className: 'control-item' }, this.share.node, this.sharePanel);
    // Phones and tablets have no getDisplayMedia: an offer that can only fail is not shown.
    show(shareItem, Boolean(navigator.mediaDevices && 'getDisplayMedia' in navigator.mediaDevices));
    this.root = el(
      'div',
      { className: 'control-bar', attrs: { id: 'control-bar', role: 'group', 'aria-label': 'Call controls' } },
      el('div', { className: 'control-mic-group' }, this.mic.node, this.ptt.node),
      this.camera.node,
      this.deafen.node,
      shareItem,
      el('div', { className: 'control-item' }, this.volumes.node, this.volumePanel),
      // The settings panel finds the gear by id and attaches its own popover beside it.
      el('div', { className: 'control-item' }, this.settings.node),
      ...[this.mic.desc, this.share.desc].filter((node) => node !== null),
    );
    this.root.hidden = true;
    // Checked before any other listener: a busy button must not act, nor open its popover.
    this.root.addEventListener('click', (event) => {
      const target = /** @type {Element} */ (event.target).closest?.('.control-button');
      if (target?.getAttribute('aria-disabled') === 'true') event.stopImmediatePropagation();
    }, true);
    byId('control-bar-slot').append(this.root);
    this.sharePopover = popover(this.share.node, this.sharePanel, () => this.openShare());
    this.volumePopover = popover(this.volumes.node, this.volumePanel, () => this.openVolumes());
  }

  buildButtons() {
    this.mic = controlButton('media-mic-button', 'Mute', 'mic', true);
    this.ptt = controlButton('media-ptt-button', 'Push to talk', 'keyboard');
    this.pttKey = el('span', { className: 'control-key', attrs: { 'aria-hidden': 'true' } });
    this.ptt.node.append(this.pttKey);
    this.ptt.node.classList.add('control-ptt');
    this.camera = controlButton('media-camera-button', 'Camera', 'camera-off');
    this.deafen = controlButton('media-deafen-button', 'Deafen', 'headphones');
    this.share = controlButton('media-share-button', 'Share screen', 'screen', true);
    this.volumes = controlButton('media-volumes-button', 'Volumes', 'volume');
    this.settings = controlButton('media-settings-button', 'Audio and video settings', 'settings');
    for (const [ref, tooltip] of [[this.volumes, 'Volumes'], [this.settings, 'Audio & video settings']]) {
      ref.node.dataset.tooltip = /** @type {string} */ (tooltip);
      ref.node.setAttribute('aria-haspopup', 'dialog');
    }
    this.mic.node.addEventListener('click', () => this.act('mic', () => this.layer.toggleMute()));
    this.ptt.node.addEventListener('click', () =>
      this.act('ptt', () => this.layer.setMicMode(this.state().mic.mode === 'ptt' ? 'toggle' : 'ptt')),
    );
    this.camera.node.addEventListener('click', () =>
      this.act('camera', () => this.layer.setCamera(!this.state().camera.on)),
    );
    this.deafen.node.addEventListener('click', () => this.act('deafen', () => this.layer.toggleDeafen()));
  }

  /** @param {MediaSnapshot} snapshot */
  render(snapshot) {
    const model = controlBarModel(snapshot, { hotkeys: this.layer.settings.get('hotkeys'), busy: this.busy });
    show(this.root, model.visible);
    if (!model.visible) {
      this.sharePopover.close(false);
      this.volumePopover.close(false);
      return;
    }
    applyButton(this.mic, model.mic);
    applyButton(this.ptt, model.ptt);
    setText(this.pttKey, model.ptt.caption);
    applyButton(this.camera, model.camera);
    applyButton(this.deafen, model.deafen);
    applyButton(this.share, model.share);
    attr(this.share.node, 'aria-haspopup', model.share.popup);
    // Sharing started or ended under an open popover (the browser's own "Stop sharing" bar).
    if (this.sharePopover.isOpen && this.shareView !== model.share.popup) this.closeKeepingFocus(this.sharePopover);
    if (this.sharePopover.isOpen) this.renderShareMenu(snapshot);
    if (this.volumePopover.isOpen) this.renderVolumes(snapshot);
  }

  /** The current snapshot (render keeps no copy: the layer's is always fresher). */
  state() {
    return this.layer.getState();
  }

  /**
   * Runs a control's action once at a time, showing the button busy meanwhile.
   * @param {BusyKey} key
   * @param {() => Promise<unknown>} action
   */
  async act(key, action) {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    this.render(this.state());
    try {
      await action();
    } catch (error) {
      // The layer reports what users must know through its notice; this is for developers.
      console.warn(`the ${key} control failed`, error);
    } finally {
      this.busy.delete(key);
      this.render(this.state());
    }
  }

  // --- Screen share: the quality menu, or the stop confirmation while sharing ----------------

  buildSharePanel() {
    return el(
      'div',
      { className: 'control-popover share-popover', attrs: { id: 'media-share-popover' } },
      this.buildShareMenu(),
      this.buildStopConfirm(),
    );
  }

  buildShareMenu() {
    const presets = shareMenu(this.state().screenShare, null).presets;
    this.presetItems = presets.map(({ key, label }) =>
      el('button', {
        className: 'control-menu-item',
        text: label,
        attrs: { type: 'button', role: 'menuitemradio', tabindex: '-1', 'aria-checked': 'false' },
        on: { click: () => this.startShare(key) },
      }),
    );
    this.audioItem = el('button', {
      className: 'control-menu-item control-menu-check',
      text: 'Share audio',
      attrs: { type: 'button', role: 'menuitemcheckbox', tabindex: '-1', 'aria-checked': 'false' },
      on: { click: () => this.toggleShareAudio() },
    });
    const items = [...this.presetItems, this.audioItem];
    this.shareMenu = el(
      'div',
      { className: 'control-menu', attrs: { role: 'menu', 'aria-labelledby': 'media-share-title' } },
      el('p', { className: 'control-popover-title', attrs: { id: 'media-share-title' }, text: 'Share quality' }),
      el('div', { attrs: { role: 'group' } }, ...this.presetItems),
      el('div', { className: 'control-menu-separator', attrs: { role: 'separator' } }),
      this.audioItem,
    );
    this.shareMenu.addEventListener('keydown', (event) => moveInMenu(event, items));
    return this.shareMenu;
  }

  buildStopConfirm() {
    this.stopCancel = el('button', { className: 'button button-quiet button-small', text: 'Cancel', attrs: { type: 'button' } });
    const stop = el('button', { className: 'button button-danger button-small', text: 'Stop', attrs: { type: 'button' } });
    this.stopCancel.addEventListener('click', () => this.sharePopover.close(true));
    stop.addEventListener('click', () => {
      this.sharePopover.close(true);
      void this.act('share', () => this.layer.stopScreenShare());
    });
    this.stopConfirm = el(
      'div',
      {
        className: 'control-confirm',
        attrs: { role: 'alertdialog', 'aria-labelledby': 'media-stop-title', 'aria-describedby': 'media-stop-text' },
      },
      el('p', { className: 'control-confirm-title', attrs: { id: 'media-stop-title' }, text: 'Stop sharing?' }),
      el('p', { className: 'control-confirm-text', attrs: { id: 'media-stop-text' }, text: 'Everyone here will stop seeing your screen.' }),
      el('div', { className: 'control-confirm-actions' }, this.stopCancel, stop),
    );
    return this.stopConfirm;
  }

  openShare() {
    const snapshot = this.state();
    this.shareView = snapshot.screenShare.active ? 'dialog' : 'menu';
    show(this.shareMenu, this.shareView === 'menu');
    show(this.stopConfirm, this.shareView === 'dialog');
    this.renderShareMenu(snapshot);
    // After Popover's own focus move: the checked preset, or Cancel, the harmless answer.
    const target = this.shareView === 'menu' ? this.presetItems.find(isChecked) : this.stopCancel;
    queueMicrotask(() => target?.focus());
  }

  /** @param {MediaSnapshot} snapshot */
  renderShareMenu(snapshot) {
    const menu = shareMenu(snapshot.screenShare, this.audioChoice);
    menu.presets.forEach((p, i) => attr(this.presetItems[i], 'aria-checked', String(p.checked)));
    attr(this.audioItem, 'aria-checked', String(menu.audio));
  }

  toggleShareAudio() {
    this.audioChoice = !shareMenu(this.state().screenShare, this.audioChoice).audio;
    this.renderShareMenu(this.state());
  }

  /** @param {import('../../media/rules/share-presets.js').PresetKey} preset */
  startShare(preset) {
    const { audio } = shareMenu(this.state().screenShare, this.audioChoice);
    this.sharePopover.close(true);
    void this.act('share', async () => {
      if (await this.layer.startScreenShare({ preset, audio })) this.audioChoice = null;
    });
  }

  // --- Volumes: one row per other participant ------------------------------------------------

  buildVolumePanel() {
    this.volumeList = el('ul', { className: 'volume-list' });
    this.volumeEmpty = el('p', { className: 'volume-empty', text: 'No other participants' });
    this.volumeNote = el('p', { className: 'volume-note', text: 'You are deafened: nobody is audible until you undeafen.' });
    return el(
      'div',
      {
        className: 'control-popover volume-popover',
        attrs: { id: 'media-volume-popover', role: 'dialog', 'aria-labelledby': 'media-volume-title', tabindex: '-1' },
      },
      el('h2', { className: 'control-popover-title', attrs: { id: 'media-volume-title' }, text: 'Volume' }),
      this.volumeNote,
      this.volumeList,
      this.volumeEmpty,
    );
  }

  openVolumes() {
    this.renderVolumes(this.state());
    // Alone there is nothing to focus, but Escape must still reach the panel.
    queueMicrotask(() => {
      if (!this.volumePanel.contains(document.activeElement)) this.volumePanel.focus();
    });
  }

  /** @param {MediaSnapshot} snapshot */
  renderVolumes(snapshot) {
    const rows = volumeRows(snapshot.participants);
    show(this.volumeEmpty, rows.length === 0);
    show(this.volumeNote, snapshot.mic.deafened && rows.length > 0);
    keyedList(this.volumeList, rows, {
      key: (row) => row.identity,
      create: (row) => this.volumeRow(row.identity),
      update: updateVolumeRow,
    });
  }

  /** @param {string} identity */
  volumeRow(identity) {
    const slider = /** @type {HTMLInputElement} */ (
      el('input', { className: 'volume-slider', attrs: { type: 'range', min: 0, max: 200, step: 1 } })
    );
    slider.addEventListener('input', () => this.layer.setVolume(identity, percentToVolume(slider.value)));
    const glyph = icon('volume');
    const mute = el('button', { className: 'icon-button volume-mute', attrs: { type: 'button' } }, glyph);
    mute.addEventListener('click', () => this.layer.toggleLocalMute(identity));
    return el(
      'li',
      { className: 'volume-row' },
      el('span', { className: 'volume-name' }),
      slider,
      el('span', { className: 'volume-percent', attrs: { 'aria-hidden': 'true' } }),
      mute,
    );
  }

  /** @param {Popover} which */
  closeKeepingFocus(which) {
    which.close(which.panel.contains(document.activeElement));
  }
}

/**
 * @param {HTMLElement} node
 * @param {import('../../media/models/control-bar-model.js').VolumeRow} row
 */
function updateVolumeRow(node, row) {
  const [name, slider, percent, mute] = /** @type {HTMLElement[]} */ ([...node.children]);
  setText(name, row.name);
  attr(name, 'title', row.name);
  attr(slider, 'aria-label', row.sliderLabel);
  attr(slider, 'aria-valuetext', `${row.percent}%`);
  const input = /** @type {HTMLInputElement} */ (slider);
  // Never pull the thumb from under a drag or the arrow keys: the input already holds the truth.
  if (document.activeElement !== input && input.value !== String(row.percent)) input.value = String(row.percent);
  setText(percent, `${row.percent}%`);
  attr(mute, 'aria-pressed', String(row.localMuted));
  attr(mute, 'aria-label', row.muteLabel);
  attr(mute, 'data-tooltip', row.muteTooltip);
  setIcon(/** @type {SVGElement} */ (mute.firstElementChild), row.localMuted ? 'volume-off' : 'volume');
  node.classList.toggle('is-muted', row.localMuted);
}

/**
 * A round bar button; `describe` adds a hidden description node for aria-describedby.
 * @param {string} id @param {string} label @param {string} glyphName @param {boolean} [describe]
 * @returns {ButtonRef}
 */
function controlButton(id, label, glyphName, describe = false) {
  const glyph = icon(glyphName);
  const node = el('button', { className: 'control-button', attrs: { type: 'button', id, 'aria-label': label } }, glyph);
  const desc = describe ? el('span', { className: 'visually-hidden', attrs: { id: `${id}-description` } }) : null;
  return { node, glyph, desc };
}

/**
 * @param {ButtonRef} ref
 * @param {ButtonView} view
 */
function applyButton({ node, glyph, desc }, view) {
  attr(node, 'aria-pressed', String(view.pressed));
  attr(node, 'data-tooltip', view.tooltip);
  attr(node, 'aria-disabled', view.disabled ? 'true' : null);
  node.classList.toggle('is-danger', view.tone === 'danger');
  node.classList.toggle('is-success', view.tone === 'success');
  node.classList.toggle('is-live', view.live);
  node.classList.toggle('has-problem', view.problem);
  setIcon(glyph, view.icon);
  if (desc) {
    setText(desc, view.description);
    attr(node, 'aria-describedby', view.description ? desc.id : null);
  }
}

/** Sets or removes an attribute only when it differs. @param {Element} node @param {string} name @param {string | null} value */
function attr(node, name, value) {
  if (node.getAttribute(name) === value) return;
  if (value === null) node.removeAttribute(name);
  else node.setAttribute(name, value);
}

/** Points an icon at another sprite symbol, keeping the (hashed) sprite address. @param {SVGElement} svg @param {string} name */
function setIcon(svg, name) {
  const use = svg.firstElementChild;
  const href = use?.getAttribute('href') ?? '';
  const next = `${href.replace(/#.*$/, '')}#${name}`;
  if (use && href !== next) use.setAttribute('href', next);
}

/** @param {HTMLElement} node */
function isChecked(node) {
  return node.getAttribute('aria-checked') === 'true';
}

/**
 * A Popover that also closes when focus leaves it (Tab past its end), as menus do.
 * @param {HTMLElement} opener @param {HTMLElement} panel @param {() => void} onOpen
 */
function popover(opener, panel, onOpen) {
  const result = new Popover(opener, panel, { onOpen });
  panel.addEventListener('focusout', (event) => {
    const next = /** @type {Node | null} */ (event.relatedTarget);
    if (next && !panel.contains(next) && next !== opener) result.close(false);
  });
  return result;
}

/**
 * Arrow keys, Home and End move between menu items; Tab leaves (and so closes) the menu.
 * @param {KeyboardEvent} event @param {HTMLElement[]} items
 */
function moveInMenu(event, items) {
  const index = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const step = /** @type {Record<string, number>} */ ({ ArrowDown: 1, ArrowUp: -1 })[event.key];
  let next = -1;
  if (step) next = (index + step + items.length) % items.length;
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = items.length - 1;
  if (next < 0) return;
  event.preventDefault();
  items[next].focus();
}
