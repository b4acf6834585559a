// The room page's behaviour without its DOM: joins, leaves, votes, jail moves, whispers,
// resyncs after every snapshot. Views read `state`/`ui` and call these methods; the API,
// media boundary and clock are injected, so the flows are unit-tested in node.

import { decideLanding, releaseTarget } from './landing.js';
import { canLift, defaultRoom } from './selectors.js';
import {
  applyEvent,
  applyHello,
  createState,
  joined,
  left,
  mergeRoomPunishments,
  myPunishment,
  setRooms,
  setUsers,
} from './state.js';
import { parseServerTime } from './format.js';
import { announce, joinFailure, voteResult } from './announcements.js';
import { Notices } from './notices.js';

const JAILED_ERROR = 'You are currently jailed and cannot switch rooms';
/** Events that only touch the room and people lists: safe to replay over a fresher fetch. */
const LIST_EVENTS = new Set([
  'room:created', 'room:updated', 'room:deleted', 'user:registered', 'user:updated', 'user:deleted', 'user:online', 'user:offline',
]);
const TOAST_MS = 4000;
const EXPIRY_GRACE_MS = 5000;

/**
 * @typedef {{message: string, serial: number}} Notice
 * @typedef {{error: Notice|null, info: Notice|null, toast: {passed: boolean, text: string, serial: number}|null,
 *   realtime: import('./realtime.js').Status, busy: Set<string>}} UiState
 */

export class RoomController {
  /**
   * @param {{me: import('./state.js').Me, api: import('./api.js').Api,
   *   media: {connect: (join: any) => Promise<void>, disconnect: () => Promise<void>,
   *     current?: {state: string, roomId: number|null},
   *     moment: (name: string, payload: any) => void, target?: any}, navigate: (url: string) => void,
   *   now?: () => number, timers?: {set: typeof setTimeout, clear: typeof clearTimeout}}} deps
   */
  constructor({ me, api, media, navigate, now = () => Date.now(), timers }) {
    this.state = createState(me);
    /** @type {UiState} */
    this.ui = { error: null, info: null, toast: null, realtime: { state: 'connecting' }, busy: new Set() };
    /** Every message to people, in one list (lib/notices.js): what the notice area shows. */
    this.notices = new Notices({ now });
    this.api = api;
    /** The page's media boundary (media/boundary.js): joins, leaves and sound moments. */
    this.media = media;
    this.navigate = navigate;
    this.now = now;
    this.timers = timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) };
    /** @type {Set<() => void>} */
    this.listeners = new Set();
    this.serial = 0;
    this.joinSeq = 0;
    /** @type {Promise<any>} */
    this.joinQueue = Promise.resolve();
    /** @type {any} */
    this.lastJoin = null;
    /** @type {any[]|null} list events seen while a refresh is in flight */
    this.replay = null;
    this.expiryCheckedFor = /** @type {number|null} */ (null);
    /** Set once signing out starts: nothing more is asked of the server after that. */
    this.closed = false;
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of [...this.listeners]) listener();
  }

  // --- Messages to people ---------------------------------------------------------------------

  /** @param {string} message */
  showError(message) {
    this.ui.error = { message, serial: ++this.serial };
    this.notices.add('error', message);
    this.notify();
  }

  clearError() {
    this.ui.error = null;
    this.notices.dismissKind('error');
    this.notify();
  }

  /** @param {string} message */
  showInfo(message) {
    this.ui.info = { message, serial: ++this.serial };
    this.notices.add('info', message, { roomId: null });
    this.notify();
  }

  clearInfo() {
    this.ui.info = null;
    this.notices.dismissKind('info');
    this.notify();
  }

  /** Someone closed a notice. @param {number} id */
  dismissNotice(id) {
    this.notices.dismiss(id);
    if (!this.notices.latest('error')) this.ui.error = null;
    this.notify();
  }

  /** @param {boolean} passed @param {string} text */
  showToast(passed, text) {
    const serial = ++this.serial;
    this.ui.toast = { passed, text, serial };
    this.timers.set(() => {
      if (this.ui.toast?.serial === serial) {
        this.ui.toast = null;
        this.notify();
      }
    }, TOAST_MS);
    this.notify();
  }

  /**
   * Runs an API call, showing its error verbatim in the banner; resolves to null on failure.
   * @template T @param {string} key @param {() => Promise<T>} call @returns {Promise<T|null>}
   */
  async attempt(key, call) {
    if (this.ui.busy.has(key)) return null;
    this.ui.busy.add(key);
    this.notify();
    try {
      return await call();
    } catch (error) {
      this.showError(messageOf(error));
      return null;
    } finally {
      this.ui.busy.delete(key);
      this.notify();
    }
  }

  // --- Realtime -------------------------------------------------------------------------------

  /** @param {import('./realtime.js').Status} status */
  realtimeStatus(status) {
    // The deadline, not the delay: the countdown shown counts down to it each second.
    this.ui.realtime = status.retryInMs ? { ...status, retryAt: this.now() + status.retryInMs } : status;
    if (status.state === 'unauthenticated') this.navigate('/login');
    this.notify();
  }

  /** @param {string} type @param {any} data */
  async handleFrame(type, data) {
    if (this.closed) return;
    if (type === 'hello') {
      applyHello(this.state, data ?? {}, this.now());
      this.notify();
      await this.resync();
      return;
    }
    if (this.replay && LIST_EVENTS.has(type)) this.replay.push([type, data]);
    const notice = announce(this.state, type, data);
    const effects = applyEvent(this.state, type, data, this.now());
    if (notice) this.notices.add(notice.kind, notice.text, { roomId: notice.roomId });
    this.notify();
    for (const effect of effects) await this.react(effect);
  }

  /** Fresh room and people lists, then wherever "no lurkers" says this page must be. */
  async resync() {
    this.replay = [];
    try {
      const [rooms, users] = await Promise.all([this.api.rooms(), this.api.users()]);
      setRooms(this.state, rooms.rooms ?? []);
      setUsers(this.state, users.users ?? []);
      for (const [type, data] of this.replay) applyEvent(this.state, type, data, this.now());
    } catch (error) {
      this.showError(messageOf(error));
    } finally {
      this.replay = null;
    }
    this.notify();
    await this.land();
  }

  async land() {
    const decision = decideLanding(this.state);
    if (decision.action === 'join') {
      if (await this.retake(decision.roomId)) return;
      await this.joinRoom(decision.roomId);
    } else if (decision.action === 'follow') {
      await this.follow(decision.roomId);
    }
  }

  /**
   * The server let my membership lapse while the events line was down, but the call is still
   * up: take my place back without a new token (2.x's sync), so the call goes on undisturbed.
   * Whether it did; if not, a join follows.
   * @param {number} roomId
   */
  async retake(roomId) {
    const call = this.media.current;
    if (this.state.joinedRoomId !== roomId || call?.state !== 'connected' || call.roomId !== roomId) return false;
    try {
      await this.api.syncRoom(roomId);
      return true;
    } catch {
      return false;
    }
  }

  /** Shows the room the server has me in, joined by another tab. @param {number|null} roomId */
  async follow(roomId) {
    const state = this.state;
    if (state.joinedRoomId !== null) await this.media.disconnect();
    state.previousRoomId = state.currentRoomId;
    state.currentRoomId = roomId;
    state.joinedRoomId = null;
    state.landed = true;
    const room = roomId === null ? null : state.rooms.get(roomId);
    this.showInfo(room ? `You joined ${room.name} in another tab or window.` : 'You left the room in another tab or window.');
  }

  /** @param {import('./state.js').Effect} effect */
  async react(effect) {
    const state = this.state;
    switch (effect.kind) {
      case 'peer-joined':
      case 'peer-left':
      case 'vote-started':
        this.media.moment(effect.kind, effect);
        break;
      case 'vote-resolved': {
        const result = voteResult(state, effect);
        this.showToast(effect.passed, result.text);
        this.notices.add(result.kind, result.text, { roomId: result.roomId });
        break;
      }
      case 'jailed':
        this.media.moment('jailed', { punishment: effect.punishment });
        if (state.joinedRoomId !== effect.punishment.jailRoomId && state.pendingJoinRoomId !== effect.punishment.jailRoomId) {
          await this.joinRoom(effect.punishment.jailRoomId, { fallback: effect.jailConnection });
        }
        break;
      case 'moved-to-jail':
        await this.joinRoom(effect.roomId);
        break;
      case 'released':
      case 'released-by-move': {
        const target = effect.kind === 'released' ? releaseTarget(state, effect.sourceRoomId) : effect.roomId;
        this.media.moment('released', { roomId: target });
        if (target !== null && state.joinedRoomId !== target && state.pendingJoinRoomId !== target) {
          await this.joinRoom(target);
        }
        break;
      }
      case 'moved-elsewhere':
        await this.follow(effect.roomId);
        break;
      case 'removed':
        if (state.joinedRoomId !== null) await this.media.disconnect();
        state.joinedRoomId = null;
        this.notify();
        break;
      case 'room-deleted': {
        await this.media.disconnect();
        const fallback = myPunishment(state) ? null : defaultRoom(state);
        if (fallback) await this.joinRoom(fallback.id);
        break;
      }
      default:
        break;
    }
  }

  // --- Joining and leaving --------------------------------------------------------------------

  /**
   * Joins a room. The old room is left only once the server has said yes, so a refused join
   * changes nothing; joins run one at a time and a click superseded before it was sent is dropped.
   * @param {number} roomId @param {{fallback?: any}} [options]
   */
  joinRoom(roomId, { fallback = null } = {}) {
    const jail = myPunishment(this.state);
    if (jail && jail.jailRoomId !== roomId) {
      this.showError(JAILED_ERROR);
      return Promise.resolve(false);
    }
    const seq = ++this.joinSeq;
    this.joinQueue = this.joinQueue.then(() => (seq === this.joinSeq ? this.doJoin(roomId, seq, fallback) : false));
    return this.joinQueue;
  }

  /** @param {number} roomId @param {number} seq @param {any} fallback */
  async doJoin(roomId, seq, fallback) {
    if (this.closed) return false;
    const state = this.state;
    // A new try answers the last one's error.
    this.ui.error = null;
    this.notices.dismissKind('error');
    state.pendingJoinRoomId = roomId;
    this.notify();
    let response;
    try {
      response = await this.api.joinRoom(roomId);
    } catch (error) {
      if (!fallback) return this.joinFailed(roomId, seq, error);
      response = fallback;
    }
    await this.media.disconnect();
    joined(state, response.room);
    this.notices.roomChanged(response.room.id);
    this.lastJoin = response;
    this.notify();
    if (seq === this.joinSeq) {
      this.media.moment('room-connected', { room: response.room });
      await this.media.connect(response);
    }
    await this.loadRoomDetails(response.room.id);
    return true;
  }

  /** @param {number} roomId @param {number} seq @param {unknown} error */
  async joinFailed(roomId, seq, error) {
    const state = this.state;
    state.pendingJoinRoomId = null;
    if (seq === this.joinSeq) {
      const offline = this.ui.realtime.state !== 'open';
      const status = error instanceof Error && 'status' in error ? Number(error.status) : undefined;
      this.showError(joinFailure(state, { message: messageOf(error), status }, roomId, { offline }));
      // An earlier queued join may have moved us without connecting media: connect it now.
      if (this.lastJoin && this.lastJoin.room.id === state.joinedRoomId && this.media.target !== this.lastJoin) {
        await this.media.connect(this.lastJoin);
      }
    }
    this.notify();
    return false;
  }

  /** The chain and the jailed-from-this-room list, fresh from the API. @param {number} roomId */
  async loadRoomDetails(roomId) {
    const state = this.state;
    try {
      const [chain, punishments] = await Promise.all([this.api.chain(roomId), this.api.roomPunishments(roomId)]);
      if (state.currentRoomId !== roomId) return;
      if (Array.isArray(chain.chain) && chain.chain.length > 0) state.chains.set(roomId, chain.chain);
      else state.chains.delete(roomId);
      mergeRoomPunishments(state, roomId, punishments.punishments ?? []);
    } catch (error) {
      this.showError(messageOf(error));
    }
    this.notify();
  }

  async leaveRoom() {
    const roomId = this.state.currentRoomId;
    if (roomId === null) return;
    const result = await this.attempt('leave', () => this.api.leaveRoom(roomId));
    if (result === null) return;
    await this.media.disconnect();
    left(this.state);
    this.notices.roomChanged(null);
    this.notify();
  }

  // --- Rooms ----------------------------------------------------------------------------------

  /**
   * Creates a room and joins it; throws the API error for the dialog to show.
   * @param {string} name @param {'voice'|'video'} type
   */
  async createRoom(name, type) {
    const { room } = await this.api.createRoom(name, type);
    this.state.rooms.set(room.id, room);
    this.notify();
    await this.joinRoom(room.id);
    return room;
  }

  /** @param {number} roomId */
  async deleteRoom(roomId) {
    const result = await this.attempt(`delete:${roomId}`, () => this.api.deleteRoom(roomId));
    if (result === null) return false;
    const room = this.state.rooms.get(roomId);
    if (room) await this.handleFrame('room:deleted', { room, deletedBy: this.actor() });
    return true;
  }

  // --- Votes, jail, whispers ------------------------------------------------------------------

  /** @param {number} targetUserId @param {number} durationSecs */
  async startVote(targetUserId, durationSecs) {
    return (await this.attempt('vote', () => this.api.startVote(targetUserId, durationSecs))) !== null;
  }

  /** @param {number} voteId @param {boolean} voteYes */
  async castBallot(voteId, voteYes) {
    const result = await this.attempt(`ballot:${voteId}`, () => this.api.castBallot(voteId, voteYes));
    if (result === null) return;
    this.state.ballots.set(voteId, voteYes ? 'yes' : 'no');
    const vote = this.state.votes.get(voteId);
    if (vote && typeof result.yesCount === 'number') {
      this.state.votes.set(voteId, { ...vote, yesCount: result.yesCount, noCount: result.noCount });
    }
    this.notify();
  }

  /** Me, as events name who did something. */
  actor() {
    const { me } = this.state;
    return { id: me.id, username: me.username, displayName: me.display_name };
  }

  /** @param {number} punishmentId */
  async lift(punishmentId) {
    const punishment = this.state.punishments.get(punishmentId);
    if (punishment && !canLift(this.state, punishment)) return;
    await this.attempt(`lift:${punishmentId}`, () => this.api.liftPunishment(punishmentId));
  }

  async toggleWhispers() {
    const state = this.state;
    const roomId = state.currentRoomId;
    if (roomId === null) return;
    const room = state.rooms.get(roomId);
    const on = room?.mode === 'whispers' || state.chains.has(roomId);
    const result = await this.attempt('whispers', () => this.api.setMode(roomId, on ? 'normal' : 'whispers'));
    if (result === null) return;
    const mode = result.mode === 'whispers' ? 'whispers' : 'normal';
    if (room) state.rooms.set(roomId, { ...room, mode });
    if (mode === 'whispers' && Array.isArray(result.chain)) {
      await this.handleFrame('whispers:activated', { roomId, chain: result.chain, by: this.actor() });
    } else if (mode === 'normal') {
      await this.handleFrame('whispers:deactivated', { roomId, by: this.actor() });
    }
  }

  /**
   * Called every second: if my jail's deadline passed and no event said so (a lost event),
   * ask the server once whether I am still jailed.
   */
  async tick() {
    const mine = myPunishment(this.state);
    if (!mine) return;
    const deadline = parseServerTime(mine.expiresAt);
    const now = this.now() + this.state.clockOffsetMs;
    if (deadline === null || now < deadline + EXPIRY_GRACE_MS || this.expiryCheckedFor === mine.id) return;
    this.expiryCheckedFor = mine.id;
    try {
      const { punishments } = await this.api.activePunishments();
      if (!(punishments ?? []).some((/** @type {{id: number}} */ p) => p.id === mine.id)) {
        await this.handleFrame('punishment:expired', {
          punishmentId: mine.id,
          targetUserId: mine.targetUserId,
          sourceRoomId: mine.sourceRoomId,
          sourceRoomName: mine.sourceRoomName,
        });
      }
    } catch (error) {
      this.showError(messageOf(error));
    }
  }

  async logout() {
    this.closed = true;
    const result = await this.attempt('logout', () => this.api.logout());
    if (result === null) {
      this.closed = false;
      return;
    }
    await this.media.disconnect();
    this.navigate('/login');
  }
}

/** @param {unknown} error */
export function messageOf(error) {
  return error instanceof Error && error.message ? error.message : 'Request failed';
}
