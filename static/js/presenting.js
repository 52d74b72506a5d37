// Presenting, on every page (templates/layout/page.jte). The teacher who presents announces each page they open
// and every change they make at a motion player (POST /api/class/present); a student who follows gets the
// teacher's state on the class socket /class/live (docs/PROTOCOL.md), opens the teacher's page and puts its
// players in the teacher's state (motion.js: `container.motionPlayer.apply`, the `dl:player` event).
// Both are remembered per tab in sessionStorage, so they survive navigation; pages that do neither open nothing.

import { api } from './api.js';

const PRESENTING = 'dl-presenting'; // '1' while this tab presents
const FOLLOWING = 'dl-following'; // 'on' while this tab follows, 'left' after "leave"
/** The teacher's own pages: opening them is not announced (students could not open them). */
const PRIVATE = ['/class', '/teacher'];

const here = () => location.pathname + location.search;
const isPrivate = (path) => PRIVATE.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));

function storage() {
  try { return window.sessionStorage; } catch (e) { return null; } // storage disabled: nothing to remember
}

function get(key) {
  const s = storage();
  return s ? s.getItem(key) : null;
}

function set(key, value) {
  const s = storage();
  if (!s) return;
  if (value === null) s.removeItem(key); else s.setItem(key, value);
}

/** The bar under the top bar: a text and a few buttons; made once per page. */
function bar() {
  let element = document.getElementById('class-bar');
  if (!element) {
    element = document.createElement('div');
    element.id = 'class-bar';
    element.className = 'class-bar';
    element.setAttribute('role', 'status');
    const topbar = document.querySelector('.topbar');
    if (topbar) topbar.after(element); else document.body.prepend(element);
  }
  return element;
}

function showBar(kind, text, ...buttons) {
  const element = bar();
  element.dataset.kind = kind;
  const label = document.createElement('span');
  label.className = 'class-bar-text';
  label.textContent = text;
  element.replaceChildren(label, ...buttons.map(([name, action, onClick]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'class-bar-button';
    button.dataset.action = action;
    button.textContent = name;
    button.addEventListener('click', onClick);
    return button;
  }));
}

function hideBar() {
  document.getElementById('class-bar')?.remove();
}

function players() {
  return [...document.querySelectorAll('.motion')].map((e) => e.motionPlayer).filter(Boolean);
}

// --- the teacher --------------------------------------------------------------------------------

let sending = false;
let waiting = null;

/** Sends the teacher's state; while one request is on its way, only the newest state waits for the next. */
async function announce(state) {
  if (sending) { waiting = state; return; }
  sending = true;
  try {
    await api('POST', '/api/class/present', state);
  } catch (e) {
    if (e.status === 403) stopped('You are no longer signed in as the teacher: presenting stopped.');
    else showBar('error', `Presenting: ${e.message}`, ['Stop', 'stop', stopPresenting]);
  } finally {
    sending = false;
    if (waiting && get(PRESENTING)) {
      const next = waiting;
      waiting = null;
      announce(next);
    }
  }
}

function presentingBar() {
  showBar('presenting', 'Presenting · students who follow see this page', ['Stop presenting', 'stop', stopPresenting]);
}

function stopped(text) {
  set(PRESENTING, null);
  showBar('ended', text, ['Close', 'close', hideBar]);
}

async function stopPresenting() {
  set(PRESENTING, null);
  try { await api('DELETE', '/api/class/present'); } catch (e) { /* already ended */ }
  hideBar();
}

/** Starts presenting from this tab: students follow to `path` (the teacher's browser goes there too). */
export function startPresenting(path) {
  set(PRESENTING, '1');
  set(FOLLOWING, null);
  if (here() === path) present(); else location.assign(path);
}

function present() {
  presentingBar();
  if (isPrivate(here())) return; // the class view: students stay on the teacher's last page
  document.addEventListener('dl:player', (event) => {
    if (get(PRESENTING)) announce({ path: here(), ...event.detail });
  });
  whenReady(() => {
    const player = players()[0];
    announce({ path: here(), ...(player ? player.state() : { t: null, playing: false, speed: 1 }) });
  });
}

// --- a student ----------------------------------------------------------------------------------

let socket = null;
let latest = null; // the newest class message

function follow() {
  set(FOLLOWING, 'on');
  showBar('following', 'Following the teacher…', ['Leave', 'leave', leave]);
  connect(1000);
}

function connect(delay) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const mine = new WebSocket(`${scheme}://${location.host}/class/live`);
  socket = mine;
  mine.onmessage = (event) => {
    try { latest = JSON.parse(event.data); } catch (e) { return; }
    delay = 1000;
    whenReady(() => onClassMessage(latest));
  };
  mine.onclose = () => {
    if (socket !== mine || get(FOLLOWING) !== 'on') return;
    showBar('following', 'Following the teacher · reconnecting…', ['Leave', 'leave', leave]);
    setTimeout(() => { if (socket === mine) connect(Math.min(2 * delay, 15000)); }, delay);
  };
}

/** Runs once the page has loaded, every module of it included (so its players exist). */
function whenReady(fn) {
  if (document.readyState === 'complete') fn();
  else window.addEventListener('load', fn, { once: true });
}

function onClassMessage(message) {
  if (get(FOLLOWING) !== 'on') return;
  if (!message.presenting) {
    showBar('ended', message.ended ? 'The teacher has ended the class.' : 'The teacher is not presenting yet.',
      ['Stop following', 'close', stopFollowing]);
    return;
  }
  if (message.path !== here()) {
    location.assign(message.path);
    return;
  }
  showBar('following', 'Following the teacher', ['Leave', 'leave', leave]);
  document.documentElement.dataset.classSeq = String(message.seq); // which state this page shows (for tests)
  if (message.t !== null || message.playing) {
    players().forEach((p) => p.apply({ t: message.t, playing: message.playing, speed: message.speed }));
  }
}

function disconnect() {
  const old = socket;
  socket = null;
  if (old) old.close();
}

function leave() {
  set(FOLLOWING, 'left');
  disconnect();
  leftBar();
}

function leftBar() {
  showBar('left', 'You left the teacher', ['Rejoin', 'rejoin', follow]);
}

function stopFollowing() {
  set(FOLLOWING, null);
  disconnect();
  hideBar();
}

// --- this page -----------------------------------------------------------------------------------

if (document.getElementById('follow')) follow(); // the class link
else if (get(PRESENTING)) present();
else if (get(FOLLOWING) === 'on') follow();
else if (get(FOLLOWING) === 'left') leftBar();
