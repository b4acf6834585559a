// Whispers mode, browser half: who I hear and who may hear me.
//
// The chain is a circle ordered by position: I hear my predecessor (my "source") and only my
// successor hears me. 1.x merely turned volumes down (W-S7); here my audio tracks may be
// subscribed only by my successor (LiveKit track subscription permissions, enforced by the SFU),
// everyone may still see my video, and I play only my source. If I am not in the chain (yet),
// nobody hears me and I hear nobody: the safe default, where 1.x let such a client hear everyone.

/**
 * @typedef {object} ChainEntry
 * @property {string} username   equals the LiveKit identity
 * @property {number} position
 * @property {string} [displayName]
 * @property {number} [userId]
 */

/**
 * @typedef {object} Neighbours
 * @property {boolean} inChain
 * @property {ChainEntry | null} source     whom I hear; null when nobody (alone or not in chain)
 * @property {ChainEntry | null} successor  who hears me; null when nobody
 */

/**
 * @typedef {object} WhisperState
 * @property {boolean} active
 * @property {ReadonlyArray<ChainEntry>} chain
 */

/**
 * @param {ReadonlyArray<ChainEntry>} chain
 * @param {string} me  my username / LiveKit identity
 * @returns {Neighbours}
 */
export function chainNeighbours(chain, me) {
  const ordered = [...chain].sort((a, b) => a.position - b.position);
  const index = ordered.findIndex((entry) => entry.username === me);
  if (index < 0) return { inChain: false, source: null, successor: null };
  const n = ordered.length;
  const source = ordered[(index - 1 + n) % n];
  const successor = ordered[(index + 1) % n];
  return {
    inChain: true,
    source: source.username === me ? null : source,
    successor: successor.username === me ? null : successor,
  };
}

/**
 * Whether I should play `identity`'s audio.
 * @param {string} identity
 * @param {WhisperState} whispers
 * @param {string} me
 */
export function isAudible(identity, whispers, me) {
  if (!whispers.active) return true;
  return chainNeighbours(whispers.chain, me).source?.username === identity;
}

/**
 * Whether `identity`'s tile is dimmed (everyone but my source while whispers is on).
 * @param {string} identity
 * @param {WhisperState} whispers
 * @param {string} me
 */
export function isDimmed(identity, whispers, me) {
  return whispers.active && identity !== me && !isAudible(identity, whispers, me);
}

/**
 * @typedef {object} LocalTrackInfo
 * @property {string | undefined} sid   undefined until the SFU has acknowledged the publication
 * @property {'audio' | 'video'} kind
 */

/**
 * @typedef {object} ParticipantTrackPermission
 * @property {string} participantIdentity
 * @property {boolean} [allowAll]
 * @property {string[]} [allowedTrackSids]
 */

/**
 * Arguments for `localParticipant.setTrackSubscriptionPermissions(...)`.
 *
 * Note livekit-client's semantics: an entry without `allowedTrackSids` allows everything, an empty
 * array allows nothing, and with `allParticipantsAllowed` false anyone unlisted gets nothing. So
 * every remote participant is listed with an explicit array, and the caller must recompute when
 * someone joins or when one of my tracks is (re)published.
 *
 * @param {object} input
 * @param {WhisperState} input.whispers
 * @param {string} input.me
 * @param {Iterable<string>} input.remoteIdentities
 * @param {Iterable<LocalTrackInfo>} input.localTracks
 * @returns {{ allParticipantsAllowed: boolean, participantTrackPermissions: ParticipantTrackPermission[] }}
 */
export function subscriptionPermissions({ whispers, me, remoteIdentities, localTracks }) {
  if (!whispers.active) return { allParticipantsAllowed: true, participantTrackPermissions: [] };
  const successor = chainNeighbours(whispers.chain, me).successor?.username ?? null;
  const videoSids = [...localTracks]
    .filter((track) => track.kind === 'video' && typeof track.sid === 'string')
    .map((track) => /** @type {string} */ (track.sid));
  const participantTrackPermissions = [...new Set(remoteIdentities)]
    .filter((identity) => identity !== me)
    .map((identity) =>
      identity === successor
        ? { participantIdentity: identity, allowAll: true }
        : { participantIdentity: identity, allowAll: false, allowedTrackSids: [...videoSids] },
    );
  return { allParticipantsAllowed: false, participantTrackPermissions };
}

/**
 * A stable string for a permissions value, to skip redundant signalling.
 * @param {ReturnType<typeof subscriptionPermissions>} permissions
 */
export function permissionsKey(permissions) {
  const entries = permissions.participantTrackPermissions
    .map((p) => `${p.participantIdentity}:${p.allowAll ? '*' : [...(p.allowedTrackSids ?? [])].sort().join(',')}`)
    .sort();
  return `${permissions.allParticipantsAllowed ? 'all' : 'some'}|${entries.join('|')}`;
}
