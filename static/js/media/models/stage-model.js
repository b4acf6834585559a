// What the people tiles and the room list's rows show of the call: which video a tile plays,
// the footer's status icons and the words screen readers hear for them. No DOM here.

/** @typedef {import('./participants-model.js').CallParticipant} CallParticipant */
/** @typedef {'camera' | 'screen_share'} VideoSource */

/**
 * @typedef {object} TileView
 * @property {VideoSource | null} main     what fills the tile; null shows the avatar
 * @property {boolean} thumb               a screen-share thumbnail beside a camera
 * @property {boolean} mirrored            my own camera, as a mirror shows me
 */

/**
 * The tile's video: camera first, then the screen share (1.x §5.2), else the avatar. A camera
 * counts only when it is unmuted and its track is here (subscribed, for a remote).
 * @param {CallParticipant | null} participant
 * @param {{ camera: boolean, screen: boolean }} tracks   which video tracks the layer has
 * @returns {TileView}
 */
export function tileView(participant, tracks) {
  const camera = Boolean(participant?.cameraOn) && tracks.camera;
  const screen = Boolean(participant?.screenSharing) && tracks.screen;
  if (camera) return { main: 'camera', thumb: screen, mirrored: Boolean(participant?.isLocal) };
  return { main: screen ? 'screen_share' : null, thumb: false, mirrored: false };
}

/**
 * @typedef {object} StatusFlag
 * @property {string} key      stable class suffix
 * @property {string} icon     sprite name
 * @property {string} label    what a screen reader (and the tooltip) says
 * @property {boolean} warn
 */

/**
 * The footer's status icons, in display order.
 * @param {CallParticipant} participant
 * @returns {StatusFlag[]}
 */
export function statusFlags(participant) {
  /** @type {StatusFlag[]} */
  const flags = [];
  if (!participant.micOn) flags.push({ key: 'mic-off', icon: 'mic-off', label: 'Microphone off', warn: false });
  if (participant.deafened) flags.push({ key: 'deafened', icon: 'headphones-off', label: 'Deafened', warn: false });
  const lock = encryptionFlag(participant.encryption);
  if (lock) flags.push(lock);
  return flags;
}

/**
 * The per-participant lock (W-S6): nothing for someone publishing nothing.
 * @param {import('../rules/encryption.js').ParticipantEncryption} status
 * @returns {StatusFlag | null}
 */
export function encryptionFlag(status) {
  if (status === 'encrypted') return { key: 'encrypted', icon: 'lock', label: 'End-to-end encrypted', warn: false };
  if (status === 'unencrypted') {
    return { key: 'unencrypted', icon: 'warning', label: 'Not end-to-end encrypted', warn: true };
  }
  return null;
}

/**
 * The local-mute toggle's name (its state is aria-pressed): for whom, and that only I am affected.
 * @param {string} name
 */
export function localMuteLabel(name) {
  return `Mute ${name} for me`;
}

/**
 * Who I muted for myself. The layer's remembered list counts for people not (yet) in the call,
 * so a sidebar mute can always be undone (W-B7); the snapshot wins for those in it.
 * @param {ReadonlyArray<CallParticipant>} participants
 * @param {ReadonlyArray<string>} remembered
 * @returns {Set<string>}
 */
export function localMuteSet(participants, remembered) {
  const muted = new Set(remembered);
  for (const p of participants) {
    if (p.isLocal) continue;
    if (p.localMuted) muted.add(p.identity);
    else muted.delete(p.identity);
  }
  return muted;
}

/**
 * Indexes the call's participants by identity, but only when the call is the room the page
 * shows: while switching rooms the old call's people must not light up the new room's tiles.
 * @param {{ connection: { roomId: number | null }, participants: ReadonlyArray<CallParticipant> }} snapshot
 * @param {number | null} currentRoomId
 * @returns {Map<string, CallParticipant>}
 */
export function participantsFor(snapshot, currentRoomId) {
  if (currentRoomId === null || snapshot.connection.roomId !== currentRoomId) return new Map();
  return new Map(snapshot.participants.map((p) => [p.identity, p]));
}
