// The only module that imports livekit-client (through the page's import map). Everything else
// receives these names as `sdk`, so node tests can hand in a fake Room.

import {
  ExternalE2EEKeyProvider,
  Room,
  RoomEvent,
  Track,
  getBrowser,
  isE2EESupported,
  setLogLevel,
} from 'livekit-client';

// The SDK logs every signalling step at "info"; the console is for our warnings.
setLogLevel('warn');

/** The SDK surface the media layer uses. */
export const sdk = Object.freeze({
  Room,
  RoomEvent,
  Track,
  ExternalE2EEKeyProvider,
  isE2EESupported,
  getBrowser,
});
