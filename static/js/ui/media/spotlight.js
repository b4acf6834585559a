// The spotlight above the tiles: one person's screen share (or camera) large, their other
// video in a small box that swaps on click, and the stream-audio, picture-in-picture,
// fullscreen and dismiss buttons.

import {
  keepSpotlight,
  pipLabel,
  pipSource,
  spotlightCaption,
  swapSpotlight,
} from '../../media/models/spotlight-model.js';
import { el, icon, setAttr, setText, show } from '../dom.js';
import { createVideo, withToggleIcons } from './stage-dom.js';

/** @typedef {import('../../media/models/spotlight-model.js').Spotlit} Spotlit */
/** @typedef {import('../../media/models/participants-model.js').CallParticipant} CallParticipant */

/**
 * @typedef {object} SpotlightContext
 * @property {Map<string, CallParticipant>} participants
 * @property {(identity: string) => string} nameOf   the display name the page knows
 */

export class Spotlight {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.root   #media-stage
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../media/adapters/video-binder.js').TrackBinder} deps.binder
   * @param {() => void} deps.rerender  asks the stage for a render after a click of ours
   */
  constructor({ root, layer, binder, rerender }) {
    this.root = root;
    this.layer = layer;
    this.binder = binder;
    this.rerender = rerender;
    /** @type {Spotlit | null} */
    this.spot = null;
    /** @type {CallParticipant | null} */
    this.current = null;
    /** Where focus goes back to on Dismiss. @type {HTMLElement | null} */
    this.opener = null;
    /** Set by render, for the clicks in between. @type {import('../../media/models/spotlight-model.js').Availability} */
    this.available = () => false;
  }

  mount() {
    this.caption = el('h2', { className: 'spotlight-caption', attrs: { id: 'spotlight-caption' } });
    this.sourceIcon = el('span', { className: 'spotlight-source-icon' });
    this.streamAudio = withToggleIcons(this.iconButton('spotlight-stream-audio'), 'volume-off', 'volume');
    this.browserPip = this.iconButton('spotlight-browser-pip', icon('pip'));
    setAttr(this.browserPip, 'aria-label', 'Picture in picture');
    setAttr(this.browserPip, 'aria-pressed', 'false');
    setAttr(this.streamAudio, 'aria-label', 'Mute stream audio');
    setAttr(this.streamAudio, 'title', 'Mute stream audio');
    setAttr(this.browserPip, 'title', 'Picture in picture');
    this.fullscreenText = el('span', { text: 'Fullscreen' });
    this.fullscreen = el('button', { className: 'button button-small spotlight-fullscreen', attrs: { type: 'button' } },
      icon('maximize'), this.fullscreenText);
    this.dismiss = el('button', { className: 'button button-small spotlight-dismiss', attrs: { type: 'button' }, text: 'Dismiss' });
    this.video = createVideo('spotlight-video');
    this.pipVideo = createVideo('spotlight-pip-video');
    this.pipVideo.hidden = false;
    this.pip = el('button', { className: 'spotlight-pip', attrs: { type: 'button' } }, this.pipVideo);
    this.section = el('section', { className: 'spotlight', attrs: { 'aria-labelledby': 'spotlight-caption' } },
      el('div', { className: 'spotlight-head' }, this.sourceIcon, this.caption,
        el('div', { className: 'spotlight-actions' }, this.streamAudio, this.browserPip, this.fullscreen, this.dismiss)),
      el('div', { className: 'spotlight-body' }, this.video, this.pip));
    this.section.hidden = true;
    this.root.append(this.section);
    this.listen();
  }

  /** @param {string} className @param {...Node} children */
  iconButton(className, ...children) {
    return el('button', { className: `icon-button ${className}`, attrs: { type: 'button' } }, ...children);
  }

  listen() {
    this.dismiss.addEventListener('click', () => this.close());
    this.pip.addEventListener('click', () => this.swap());
    this.streamAudio.addEventListener('click', () => {
      const p = this.current;
      if (p) this.layer.setStreamAudioMuted(p.identity, !p.streamAudioMuted);
    });
    this.fullscreen.addEventListener('click', () => void this.toggleFullscreen());
    this.browserPip.addEventListener('click', () => void this.toggleBrowserPip());
    document.addEventListener('fullscreenchange', () => this.renderFullscreen());
    this.video.addEventListener('enterpictureinpicture', () => setAttr(this.browserPip, 'aria-pressed', 'true'));
    this.video.addEventListener('leavepictureinpicture', () => setAttr(this.browserPip, 'aria-pressed', 'false'));
  }

  /** @param {Spotlit} spot @param {HTMLElement | null} opener */
  open(spot, opener) {
    this.spot = spot;
    this.opener = opener;
    this.rerender();
    if (!this.section.hidden) this.section.scrollIntoView({ block: 'nearest' });
  }

  close() {
    this.spot = null;
    this.rerender();
  }

  /** A room change: the spotlight ends without a render of its own (the stage is rendering). */
  reset() {
    this.spot = null;
    this.opener = null;
  }

  swap() {
    this.spot = swapSpotlight(this.spot, this.available);
    this.rerender();
  }

  /** @param {SpotlightContext} context */
  render(context) {
    this.available = (identity, source) => {
      const p = context.participants.get(identity);
      const on = source === 'camera' ? p?.cameraOn : p?.screenSharing;
      return Boolean(on) && Boolean(this.layer.videoTrack(identity, source));
    };
    this.spot = keepSpotlight(this.spot, this.available);
    const spot = this.spot;
    this.current = spot ? context.participants.get(spot.identity) ?? null : null;
    if (!spot || !this.current) return this.renderEmpty();
    const who = { name: context.nameOf(spot.identity) || this.current.name, isLocal: this.current.isLocal };
    show(this.section, true);
    setText(this.caption, spotlightCaption(who, spot.source));
    this.renderSourceIcon(spot.source);
    this.binder.bind(this.video, this.layer.videoTrack(spot.identity, spot.source));
    show(this.video, true);
    this.video.classList.toggle('is-mirrored', spot.source === 'camera' && who.isLocal);
    const small = pipSource(spot, this.available);
    this.binder.bind(this.pipVideo, small ? this.layer.videoTrack(spot.identity, small) : null);
    this.pipVideo.classList.toggle('is-mirrored', small === 'camera' && who.isLocal);
    show(this.pip, small !== null);
    if (small) setAttr(this.pip, 'aria-label', pipLabel(who, small));
    this.renderStreamAudio(this.current);
    show(this.browserPip, Boolean(document.pictureInPictureEnabled));
    this.renderFullscreen();
  }

  renderEmpty() {
    // Dismissed, or the video ended under the keyboard: focus goes back to what opened it.
    if (!this.section.hidden && this.section.contains(document.activeElement)) this.returnFocus();
    this.opener = null;
    if (document.pictureInPictureElement === this.video) document.exitPictureInPicture().catch(() => {});
    if (document.fullscreenElement === this.section) document.exitFullscreen().catch(() => {});
    this.binder.bind(this.video, null);
    this.binder.bind(this.pipVideo, null);
    show(this.video, false);
    show(this.section, false);
  }

  returnFocus() {
    const opener = this.opener;
    if (opener?.isConnected && opener.getClientRects().length > 0) opener.focus();
    else document.getElementById('main')?.focus();
  }

  /** @param {'camera' | 'screen_share'} source */
  renderSourceIcon(source) {
    const name = source === 'camera' ? 'camera' : 'screen';
    if (this.sourceIcon.dataset.icon === name) return;
    this.sourceIcon.dataset.icon = name;
    this.sourceIcon.replaceChildren(icon(name));
  }

  /** Only someone else's share has sound to mute; the layer keeps the choice (W-B6). @param {CallParticipant} p */
  renderStreamAudio(p) {
    show(this.streamAudio, !p.isLocal && p.hasScreenAudio);
    setAttr(this.streamAudio, 'aria-pressed', p.streamAudioMuted ? 'true' : 'false');
  }

  renderFullscreen() {
    const full = document.fullscreenElement === this.section;
    this.section.classList.toggle('is-fullscreen', full);
    setText(this.fullscreenText, full ? 'Exit fullscreen' : 'Fullscreen');
    show(this.fullscreen, Boolean(document.fullscreenEnabled));
  }

  async toggleFullscreen() {
    try {
      if (document.fullscreenElement === this.section) await document.exitFullscreen();
      else await this.section.requestFullscreen();
    } catch (error) {
      console.warn('fullscreen was refused', error);
    }
  }

  async toggleBrowserPip() {
    try {
      if (document.pictureInPictureElement === this.video) await document.exitPictureInPicture();
      else await this.video.requestPictureInPicture();
    } catch (error) {
      console.warn('picture in picture was refused', error);
    }
  }
}
