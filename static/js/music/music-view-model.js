// What the DJ popover and the bot tiles show, from a MusicStatus (2.x's wording). DOM-free.

import { BOT_VOLUME_KEY, isBot } from '../media/rules/volume.js';

export const MUSIC_BOT = BOT_VOLUME_KEY;
export { isBot };

/**
 * @typedef {{id: string, name: string, genre: string, url: string}} Station
 * @typedef {{id: string, url: string, title: string, addedBy: string}} Entry
 * @typedef {object} MusicStatus
 * @property {'radio' | 'queue' | 'external'} mode
 * @property {boolean} paused
 * @property {string | null} nowPlaying
 * @property {Station | null} currentStation
 * @property {Entry[]} queue
 * @property {Station[]} stations
 * @property {string} [streamer]
 * @property {number} roomId
 * @property {boolean} enabled
 * @property {boolean} locked
 * @property {string | null} error
 */

/**
 * The popover's content.
 * @param {MusicStatus | null} status
 * @param {{canConfigure: boolean}} who
 */
export function popoverView(status, { canConfigure }) {
  if (!status) return { loading: true, loadingText: 'Connecting to music bot...' };
  const playing = status.nowPlaying ? `${status.paused ? '(Paused) ' : ''}${status.nowPlaying}` : 'Nothing playing';
  let subtitle = '';
  if (status.mode === 'radio' && status.currentStation) {
    subtitle = `${status.currentStation.name} · ${status.currentStation.genre}`;
  } else if (status.mode === 'external' && status.streamer) {
    subtitle = `Piped by ${status.streamer}`;
  }
  return {
    loading: false,
    enabled: status.enabled,
    locked: status.locked,
    canConfigure,
    error: status.error ?? '',
    nowPlaying: playing,
    subtitle,
    pauseLabel: status.paused ? '▶' : '⏸',
    pauseName: status.paused ? 'Resume' : 'Pause',
    showSkip: status.mode === 'queue',
    stations: status.stations.map((s) => ({
      value: s.id,
      label: `${s.name} (${s.genre})`,
      selected: status.currentStation?.id === s.id,
    })),
    queueHeading: `Queue (${status.queue.length})`,
    queue: status.queue.map((e) => ({ id: e.id, title: e.title, addedBy: e.addedBy })),
  };
}

/**
 * What scrolls on a bot's tile: the DJ's now playing; a pipe's title from its metadata, else
 * its name, else `Streaming` (2.x).
 * @param {{identity: string, name?: string, metadata?: string}} participant
 * @param {MusicStatus | null} status
 */
export function tileTitle(participant, status) {
  if (participant.identity === MUSIC_BOT) {
    if (!status?.nowPlaying) return 'DJ Tokoloshe';
    return `${status.paused ? '(Paused) ' : ''}${status.nowPlaying}`;
  }
  try {
    const meta = JSON.parse(participant.metadata || '{}');
    if (meta && typeof meta.pipeTitle === 'string' && meta.pipeTitle) return meta.pipeTitle;
  } catch {
    // Not JSON: fall back to the name.
  }
  return participant.name && participant.name !== participant.identity ? participant.name : 'Streaming';
}

/**
 * Whether the Music button shows: the DJ is in my call, or I may turn music on here.
 * @param {{identity: string}[]} participants
 * @param {boolean} canConfigure
 */
export function showsMusicButton(participants, canConfigure) {
  return canConfigure || participants.some((p) => p.identity === MUSIC_BOT);
}
