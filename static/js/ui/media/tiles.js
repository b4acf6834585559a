// Decorates the people tiles that ui/room-people.js builds: the video, the screen-share
// thumbnail, the speaking ring, the footer's status icons and the local-mute button.
// room-people owns the tiles and re-renders them first; everything here is added once per
// tile and then only updated, so a render changes nothing that did not change.

import { localMuteLabel, statusFlags, tileView } from '../../media/models/stage-model.js';
import { el, icon, setAttr, show } from '../dom.js';
import { createVideo, withToggleIcons } from './stage-dom.js';
import { buildSoundbiteControl, renderSoundbiteControl } from './tile-soundbite.js';

/**
 * @typedef {object} TileParts
 * @property {string} identity           the person the tile is for, read by the click handlers
 * @property {string} name
 * @property {HTMLVideoElement} video
 * @property {HTMLButtonElement} open    covers a screen share shown large: opens the spotlight
 * @property {HTMLButtonElement} thumb   the share beside a camera
 * @property {HTMLVideoElement} thumbVideo
 * @property {HTMLElement} status
 * @property {string} flagKeys
 * @property {HTMLButtonElement} mute
 * @property {ReturnType<typeof buildSoundbiteControl>} soundbite
 */

/**
 * @typedef {object} TileContext
 * @property {{ username: string, display_name: string }} user
 * @property {boolean} isMe
 * @property {import('../../media/models/participants-model.js').CallParticipant | null} participant
 * @property {boolean} muted     locally muted by me
 */

export class TileDecorator {
  /**
   * @param {object} deps
   * @param {import('../../media/adapters/browser-media.js').BrowserMedia} deps.layer
   * @param {import('../../media/adapters/video-binder.js').TrackBinder} deps.binder
   * @param {(identity: string, source: 'screen_share', opener: HTMLElement) => void} deps.openSpotlight
   */
  constructor({ layer, binder, openSpotlight }) {
    this.layer = layer;
    this.binder = binder;
    this.openSpotlight = openSpotlight;
    /** @type {WeakMap<HTMLElement, TileParts>} */
    this.parts = new WeakMap();
  }

  /** @param {HTMLElement} tile @param {TileContext} context */
  render(tile, context) {
    const parts = this.parts.get(tile) ?? this.build(tile);
    parts.identity = context.user.username;
    parts.name = context.user.display_name;
    const p = context.participant;
    this.renderVideo(tile, parts, p);
    tile.classList.toggle('is-speaking', Boolean(p?.speaking));
    // room-people dims from the presence chain just before this; the layer's view of the
    // chain may lag or lead by an event, and either one saying "not my source" dims.
    tile.classList.toggle('is-dimmed', tile.classList.contains('is-dimmed') || Boolean(p?.dimmed));
    tile.classList.toggle('is-locally-muted', context.muted);
    this.renderFlags(parts, p);
    show(parts.mute, !context.isMe);
    setAttr(parts.mute, 'aria-pressed', context.muted ? 'true' : 'false');
    setAttr(parts.mute, 'aria-label', localMuteLabel(parts.name));
    setAttr(parts.mute, 'title', localMuteLabel(parts.name));
    renderSoundbiteControl(parts.soundbite, {
      name: parts.name,
      isMe: context.isMe,
      supported: this.layer.soundbites.supported,
      status: this.layer.soundbites.status(parts.identity),
    });
  }

  /** @param {HTMLElement} tile @returns {TileParts} */
  build(tile) {
    const media = /** @type {HTMLElement} */ (tile.querySelector('.tile-media'));
    const name = /** @type {HTMLElement} */ (tile.querySelector('.tile-name'));
    const thumbVideo = createVideo('tile-thumb-video');
    thumbVideo.hidden = false;
    /** @type {TileParts} */
    const parts = {
      identity: '',
      name: '',
      video: createVideo('tile-video'),
      open: /** @type {HTMLButtonElement} */ (el('button', { className: 'tile-open-share', attrs: { type: 'button' } })),
      thumb: /** @type {HTMLButtonElement} */ (
        el('button', { className: 'tile-share-thumb', attrs: { type: 'button' } }, thumbVideo, icon('screen'))
      ),
      thumbVideo,
      status: el('span', { className: 'tile-status' }),
      flagKeys: '',
      mute: /** @type {HTMLButtonElement} */ (
        withToggleIcons(el('button', { className: 'icon-button tile-mute', attrs: { type: 'button' } }), 'volume-off', 'volume')
      ),
      soundbite: /** @type {any} */ (null),
    };
    parts.soundbite = buildSoundbiteControl(this.layer, () => parts.identity);
    parts.open.hidden = true;
    parts.thumb.hidden = true;
    parts.open.addEventListener('click', () => this.openSpotlight(parts.identity, 'screen_share', parts.open));
    parts.thumb.addEventListener('click', () => this.openSpotlight(parts.identity, 'screen_share', parts.thumb));
    parts.mute.addEventListener('click', () => this.layer.toggleLocalMute(parts.identity));
    media.append(parts.video, parts.open, parts.thumb);
    name.after(parts.status);
    tile.querySelector('.tile-footer')?.append(parts.soundbite.note, parts.soundbite.button, parts.mute);
    this.parts.set(tile, parts);
    return parts;
  }

  /**
   * @param {HTMLElement} tile @param {TileParts} parts
   * @param {import('../../media/models/participants-model.js').CallParticipant | null} p
   */
  renderVideo(tile, parts, p) {
    const camera = p ? this.layer.videoTrack(p.identity, 'camera') : null;
    const screen = p ? this.layer.videoTrack(p.identity, 'screen_share') : null;
    const view = tileView(p, { camera: Boolean(camera), screen: Boolean(screen) });
    const main = view.main === 'camera' ? camera : view.main === 'screen_share' ? screen : null;
    this.binder.bind(parts.video, main);
    show(parts.video, Boolean(main));
    parts.video.classList.toggle('is-mirrored', view.mirrored);
    parts.video.classList.toggle('is-share', view.main === 'screen_share');
    tile.classList.toggle('has-video', Boolean(main));
    const label = `Open ${p?.isLocal ? 'your' : `${parts.name}'s`} screen share`;
    show(parts.open, view.main === 'screen_share');
    setAttr(parts.open, 'aria-label', label);
    this.binder.bind(parts.thumbVideo, view.thumb ? screen : null);
    show(parts.thumb, view.thumb);
    setAttr(parts.thumb, 'aria-label', label);
  }

  /**
   * Rebuilt only when the set of icons changes: they hold no focus and rarely change.
   * @param {TileParts} parts @param {import('../../media/models/participants-model.js').CallParticipant | null} p
   */
  renderFlags(parts, p) {
    const flags = p ? statusFlags(p) : [];
    const keys = flags.map((f) => f.key).join(' ');
    if (keys === parts.flagKeys) return;
    parts.flagKeys = keys;
    parts.status.replaceChildren(
      ...flags.map((flag) =>
        el(
          'span',
          { className: `tile-flag tile-flag-${flag.key}${flag.warn ? ' is-warning' : ''}`, attrs: { title: flag.label } },
          icon(flag.icon),
          el('span', { className: 'visually-hidden', text: flag.label }),
        ),
      ),
    );
  }
}
