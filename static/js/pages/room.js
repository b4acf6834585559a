// Entry point of the room page: builds the controller, the presence socket and the views,
// and re-renders the views whenever the state changes.

import { createApi, readCookie } from '../lib/api.js';
import { readConfig } from '../lib/config.js';
import { RoomController } from '../lib/controller.js';
import { RealtimeClient } from '../lib/realtime.js';
import { Banners } from '../ui/banners.js';
import { ConfirmDialog, CreateRoomDialog } from '../ui/dialogs.js';
import { byId, setIconSprite, setText } from '../ui/dom.js';
import { Drawers } from '../ui/drawers.js';
import { RoomHeader } from '../ui/header.js';
import { PeoplePanel } from '../ui/people-panel.js';
import { RoomPeople } from '../ui/room-people.js';
import { RoomsPanel } from '../ui/rooms-panel.js';
import { mountThemeToggle } from '../ui/theme-toggle.js';
import { mountTooltips } from '../ui/tooltips.js';
import { PersonMenu } from '../ui/person-menu.js';
import { VoteBanner } from '../ui/vote.js';
import { personInitial } from '../lib/format.js';
import { currentChain, whispersOn } from '../lib/selectors.js';
import { whispersQuestion } from '../lib/announcements.js';
import { attachBrowserMedia } from '../media/adapters/browser-media.js';
import { MediaBoundary } from '../media/boundary.js';
import { CameraOffer } from '../ui/media/camera-offer.js';
import { ControlBar } from '../ui/media/control-bar.js';
import { HangUpButton } from '../ui/media/hang-up.js';
import { QualityWidget } from '../ui/media/quality.js';
import { SettingsPanel } from '../ui/media/settings-panel.js';
import { MediaStage } from '../ui/media/stage.js';
import { MediaStatus } from '../ui/media/status.js';
import { createChat } from '../chat/page.js';
import { createSoundboard } from '../soundboard/page.js';
import { createSoundbiteOptOuts } from '../lib/soundbite-optouts.js';
import { createMusic } from '../music/page.js';
import { accountApi } from '../lib/account-api.js';
import { UserSettings } from '../ui/settings/user-settings.js';
import { Welcome } from '../ui/welcome.js';

const config = readConfig(document);
setIconSprite(config.iconSprite);

const api = createApi({
  csrfToken: () => readCookie(config.csrfCookieName, document.cookie),
  onUnauthorized: () => window.location.assign('/login'),
});
// Everything between the page and the call goes through this one boundary.
const media = new MediaBoundary({ refreshJoin: (roomId) => api.joinRoom(roomId) });
const controller = new RoomController({
  me: config.me,
  api,
  media,
  navigate: (url) => window.location.assign(url),
});

// The chat beside the call: its lines, panel, unread counts and bubbles (chat/page.js).
const chat = createChat({ api, controller, media });
// Clips played into the call, the panel and its trimmer, `🔊` on tiles (soundboard/page.js).
const soundboard = createSoundboard({ api, controller, media });
// Who opted out of soundbites (the server's word): the call records none of them.
const soundbiteOptOuts = createSoundbiteOptOuts({ me: config.me.username, api });
// DJ Tokoloshe: the Music button and popover, and the bots' tiles (music/page.js).
const music = createMusic({ api, controller });

const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
const realtime = new RealtimeClient({
  url: `${scheme}//${window.location.host}/ws/events`,
  onFrame: (type, data) => {
    controller.handleFrame(type, data).catch((error) => console.error('handling', type, 'failed', error));
    chat.model.handleFrame(type, data);
    soundboard.model.handleFrame(type, data);
    soundbiteOptOuts.handleFrame(type, data);
    music.model.handleFrame(type, data);
  },
  onStatus: (status) => controller.realtimeStatus(status),
});

const drawers = new Drawers();
const confirm = new ConfirmDialog();
const voteBanner = new VoteBanner(controller);
// The vote minimum is the server's (moderation.models.VOTE_MIN_PEOPLE), read from the config.
const menu = new PersonMenu(controller, { minPeople: Number(config.voteMinPeople), onVoteStarted: () => voteBanner.focusWhenShown() });
const views = [
  new RoomsPanel(byId('room-list'), controller, {
    onChoose: () => drawers.open === 'rooms' && drawers.close(),
    confirmDelete: (room) => confirm.ask({
      title: 'Delete room?',
      text: `"${room.name}" will be deleted for everyone in it.`,
      confirm: 'Delete',
    }),
    unread: (roomId) => chat.model.unread.get(roomId) ?? 0,
  }),
  new PeoplePanel(controller),
  new RoomHeader(controller, media, { confirm: (on) => confirm.ask(whispersQuestion(on)) }),
  new Banners(controller, { retry: () => realtime.retryNow() }),
  voteBanner,
  new RoomPeople(controller, menu),
  // An account with no last room is here for the first time.
  new Welcome(controller, { firstVisit: config.me.last_room_id === null }),
  ...chat.views(drawers),
  ...soundboard.views(),
];
// Settings by the user panel: usable before joining and with the media server down.
const userSettings = new UserSettings({
  controller,
  account: accountApi(api),
  confirm,
  signedOut: () => {
    realtime.stop();
    window.location.assign('/login');
  },
});

/** @type {Array<{mount: () => void, render: (snapshot: any) => void}>} */
let mediaViews = [];
/** @type {import('../media/adapters/browser-media.js').BrowserMedia | null} */
let layer = null;

let scheduled = false;
function render() {
  scheduled = false;
  const { me } = controller.state;
  setText(byId('me-avatar'), personInitial(me.display_name));
  setText(byId('me-name'), me.display_name);
  setText(byId('me-username'), `@${me.username}`);
  const room = controller.state.currentRoomId === null ? null : controller.state.rooms.get(controller.state.currentRoomId);
  const title = room ? `${room.name} · disTokoloshe` : 'disTokoloshe';
  if (document.title !== title) document.title = title;
  for (const view of views) view.render();
  // The call enforces whispers (who may hear me, whom I play) from the page's chain.
  const active = whispersOn(controller.state);
  media.setWhispers({ active, chain: active ? currentChain(controller.state) : [] });
  if (layer) {
    layer.soundbites.setOptedOut(soundbiteOptOuts.usernames);
    const snapshot = layer.getState();
    for (const view of mediaViews) view.render(snapshot);
  }
}

function scheduleRender() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(render);
}

for (const view of views) {
  if ('mount' in view && typeof view.mount === 'function') view.mount();
}
mountThemeToggle(byId('theme-toggle'));
mountTooltips(document.body);
drawers.mount();
userSettings.mount();
new CreateRoomDialog(controller, { onCreated: () => drawers.open === 'rooms' && drawers.close(), rules: config.roomName }).mount();
byId('logout-button').addEventListener('click', () => {
  // A clean close: with no other tab open, the server takes this as leaving, at once.
  realtime.stop();
  void controller.logout();
});
controller.subscribe(scheduleRender);
chat.model.subscribe(scheduleRender);
soundboard.model.subscribe(scheduleRender);
soundbiteOptOuts.subscribe(scheduleRender);
music.model.subscribe(scheduleRender);
media.onState(scheduleRender);

// Countdowns, last-seen times, and the check for a jail whose end event never came.
setInterval(() => {
  scheduleRender();
  void controller.tick();
}, 1000);
window.addEventListener('online', () => realtime.retryNow());
// Going (closed, reloaded, navigated away): the beacon leaves the room at once unless another
// tab holds it, and leaves going offline to the grace, so a reload is never seen offline. A page
// being unloaded lets the browser close its socket (1001, which the server gives the grace); one
// kept for the back button closes it itself, as leaving, and comes back through `pageshow`.
window.addEventListener('pagehide', (event) => {
  api.leaveBeacon(realtime.connectionId);
  if (event.persisted) realtime.stop();
});
// Back from the browser's back-forward cache: the socket and the call were closed on the way
// out. Joining the current room again asks the server first, so a fresh token comes with it.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  realtime.start();
  const roomId = controller.state.currentRoomId;
  if (roomId !== null) void controller.joinRoom(roomId);
});

render();
realtime.start();

// The media layer: every join the controller makes is connected to LiveKit through the boundary.
layer = await attachBrowserMedia(media, {
  me: config.me.username,
  e2eeWorkerUrl: config.e2eeWorkerUrl,
  worklets: config.audioWorklets,
});
menu.setLayer(layer);
const deps = { layer, controller, soundbiteOptOuts };
const settingsPanel = new SettingsPanel(deps);
mediaViews = [
  new ControlBar(deps),
  settingsPanel,
  new MediaStage(deps),
  new MediaStatus(deps),
  new QualityWidget(deps),
  new CameraOffer(deps),
  new HangUpButton(deps),
  ...music.mediaViews(),
];
for (const view of mediaViews) view.mount();
userSettings.attachMedia(settingsPanel);
layer.subscribe(scheduleRender);
window.addEventListener('pagehide', () => void layer?.disconnect());
scheduleRender();
