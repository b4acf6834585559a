// The soundboard of the room page, built in one place: the clips and who plays what (model.js),
// the panel and its trimmer, the `🔊` on tiles; clips go into the call through the media
// boundary's soundboard (media/adapters/soundboard-track.js), one at a time.

import { SoundboardModel } from './model.js';
import { SoundboardPanel } from './panel.js';
import { SoundboardTiles } from './tiles.js';
import { Trimmer } from './trimmer.js';
import { tooLong } from './trim.js';

const DECODE_FAILED = 'Could not decode audio file';

/**
 * @param {{api: any, controller: import('../lib/controller.js').RoomController,
 *   media: import('../media/boundary.js').MediaBoundary}} deps
 */
export function createSoundboard({ api, controller, media }) {
  const board = new Soundboard({ api, controller, media });
  return {
    board,
    model: board.model,
    views: () => [new SoundboardPanel(board), new SoundboardTiles(board.model, controller)],
  };
}

export class Soundboard {
  /**
   * @param {{api: any, controller: import('../lib/controller.js').RoomController,
   *   media: import('../media/boundary.js').MediaBoundary}} deps
   */
  constructor({ api, controller, media }) {
    this.api = api;
    this.controller = controller;
    this.media = media;
    this.model = new SoundboardModel();
    /** @type {string|null} */
    this.error = null;
    /** @type {number|null} my clip playing into the call */
    this.playing = null;
    /** @type {Map<number, Promise<AudioBuffer>>} */
    this.decoded = new Map();
    /** @type {AudioContext|null} the local one: previews and the trimmer, never the call */
    this.local = null;
    this.trimmer = new Trimmer({ context: () => this.localContext() });
    this.roomId = /** @type {number|null} */ (null);
    this.loaded = false;
    controller.subscribe(() => this.followRoom());
  }

  localContext() {
    this.local ??= new AudioContext();
    return this.local;
  }

  followRoom() {
    const roomId = this.controller.state.currentRoomId;
    if (roomId === this.roomId) return;
    this.roomId = roomId;
    this.playing = null;
    this.model.clearPlaying();
    if (roomId !== null && !this.loaded) void this.load();
  }

  /** @param {string|null} message */
  fail(message) {
    this.error = message;
    this.model.changed();
  }

  async load() {
    try {
      const { clips } = await this.api.request('GET', '/api/soundboard');
      this.loaded = true;
      this.model.setClips(clips);
    } catch (error) {
      this.fail(/** @type {Error} */ (error).message);
    }
  }

  inRoom() {
    return this.controller.state.currentRoomId !== null;
  }

  canPlay() {
    return this.media.current.state === 'connected' && this.media.soundboard !== null;
  }

  /** @param {import('./model.js').Clip} clip */
  canDelete(clip) {
    const { me } = this.controller.state;
    return clip.uploaded_by === me.id || me.is_staff === true;
  }

  volume() {
    return this.media.soundboard?.volume() ?? 0.5;
  }

  /** @param {number} value */
  setVolume(value) {
    this.media.soundboard?.setVolume(value);
    this.model.changed();
  }

  hearing() {
    return this.media.soundboard?.hearing() ?? 1;
  }

  /** @param {number} value */
  setHearing(value) {
    this.media.soundboard?.setHearing(value);
  }

  playingId() {
    return this.playing;
  }

  playingName() {
    return this.media.soundboard?.playing() ?? null;
  }

  /** The clip's audio, fetched and decoded once. @param {import('./model.js').Clip} clip */
  audio(clip) {
    let decoded = this.decoded.get(clip.id);
    if (!decoded) {
      decoded = fetch(`/api/soundboard/${clip.id}/audio`, { credentials: 'same-origin' })
        .then((response) => {
          if (!response.ok) throw new Error('Clip not found');
          return response.arrayBuffer();
        })
        .then((bytes) => this.localContext().decodeAudioData(bytes));
      decoded.catch(() => this.decoded.delete(clip.id));
      this.decoded.set(clip.id, decoded);
    }
    return decoded;
  }

  /** "Preview locally": my speakers only, no server call. @param {import('./model.js').Clip} clip */
  async preview(clip) {
    try {
      const ctx = this.localContext();
      await ctx.resume();
      const gain = ctx.createGain();
      gain.gain.value = this.volume();
      gain.connect(ctx.destination);
      const source = ctx.createBufferSource();
      source.buffer = await this.audio(clip);
      source.connect(gain);
      source.start();
    } catch (error) {
      this.fail(/** @type {Error} */ (error).message);
    }
  }

  /** Plays a clip into the call (the server first says it may), or stops mine. @param {import('./model.js').Clip} clip */
  async playOrStop(clip) {
    const soundboard = this.media.soundboard;
    if (!soundboard) return;
    if (this.playing === clip.id) {
      soundboard.stop();
      return;
    }
    try {
      const buffer = await this.audio(clip);
      await this.api.request('POST', `/api/soundboard/${clip.id}/play`, {
        body: { durationMs: Math.round(buffer.duration * 1000) },
      });
      const { ended } = await soundboard.play(buffer, clip.name, this.volume());
      this.playing = clip.id;
      this.fail(null);
      void ended.then(() => {
        if (this.playing === clip.id) this.playing = null;
        this.model.changed();
      });
    } catch (error) {
      this.fail(/** @type {Error} */ (error).message);
    }
  }

  /** @param {import('./model.js').Clip} clip */
  async remove(clip) {
    try {
      await this.api.request('DELETE', `/api/soundboard/${clip.id}`);
      this.model.remove(clip.id);
      this.fail(null);
    } catch (error) {
      this.fail(/** @type {Error} */ (error).message);
    }
  }

  /**
   * Decodes the chosen file, lets the person trim it, and uploads the WAV. Whether it was kept.
   * @param {File} file @param {string} name
   */
  async startUpload(file, name) {
    let buffer;
    try {
      buffer = await this.localContext().decodeAudioData(await file.arrayBuffer());
    } catch {
      this.fail(DECODE_FAILED);
      return false;
    }
    const wav = await this.trimmer.open(buffer);
    if (!wav) return false;
    const check = await this.localContext().decodeAudioData(wav.slice(0));
    const refusal = tooLong(check.duration);
    if (refusal) {
      this.fail(refusal);
      return false;
    }
    const form = new FormData();
    // 2.x: the name defaults to the file's.
    form.append('name', name.trim() || file.name.replace(/\.[^.]+$/, '').slice(0, 64));
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'clip.wav');
    try {
      const { clip } = await this.api.request('POST', '/api/soundboard', { form, fallback: 'Upload failed' });
      this.model.add(clip);
      this.fail(null);
      return true;
    } catch (error) {
      this.fail(/** @type {Error} */ (error).message);
      return false;
    }
  }
}
