// What the lock icons show (fixing W-S6: 1.x computed E2EE state and never displayed it).

/** @typedef {'encrypted' | 'unencrypted' | 'no-media'} ParticipantEncryption */
/** @typedef {'encrypted' | 'mixed' | 'transport-only' | 'unsupported'} RoomEncryption */

/**
 * @typedef {object} PublicationLike
 * @property {boolean} isEncrypted
 */

/**
 * A participant's status from their published tracks: encrypted only if every track is.
 * Someone publishing nothing has nothing to protect, and is not a warning.
 * @param {{ trackPublications: Map<string, PublicationLike> | Iterable<[string, PublicationLike]> }} participant
 * @returns {ParticipantEncryption}
 */
export function participantEncryption(participant) {
  const publications = [...new Map(participant.trackPublications).values()];
  if (publications.length === 0) return 'no-media';
  return publications.every((p) => p.isEncrypted) ? 'encrypted' : 'unencrypted';
}

/**
 * @typedef {object} RoomEncryptionSummary
 * @property {RoomEncryption} status
 * @property {string[]} unencrypted   names of participants whose media is not end-to-end encrypted
 * @property {string} text            one line for the header lock's tooltip
 */

/**
 * The room's lock.
 * @param {object} input
 * @param {boolean} input.supported   this browser can do E2EE (isE2EESupported())
 * @param {boolean} input.enabled     our E2EE is set up and on for this room
 * @param {Array<{ name: string, status: ParticipantEncryption }>} input.remotes
 * @returns {RoomEncryptionSummary}
 */
export function roomEncryption({ supported, enabled, remotes }) {
  if (!supported) {
    return {
      status: 'unsupported',
      unencrypted: [],
      text: 'This browser cannot use end-to-end encryption: encrypted participants will be silent',
    };
  }
  if (!enabled) {
    return { status: 'transport-only', unencrypted: [], text: 'Encrypted in transit only, not end-to-end' };
  }
  const unencrypted = remotes.filter((r) => r.status === 'unencrypted').map((r) => r.name);
  if (unencrypted.length) {
    return {
      status: 'mixed',
      unencrypted,
      text: `Not end-to-end encrypted: ${unencrypted.join(', ')}`,
    };
  }
  return { status: 'encrypted', unencrypted: [], text: 'End-to-end encrypted' };
}

/**
 * The banner text for a decryption failure, naming who it concerns.
 * @param {string | undefined} name
 */
export function decryptionErrorText(name) {
  return name
    ? `Cannot decrypt ${name}'s media: their encryption key does not match`
    : 'A media encryption error occurred';
}
