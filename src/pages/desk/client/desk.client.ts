/**
 * The check-in desk in the browser. Every scan (camera, typed code, a name picked from the
 * search) first goes into a queue kept in localStorage, with its own nonce and the device's
 * scannedAt, and is then sent; a scan whose request fails stays queued and is sent again when
 * the connection returns (the `online` event, or the next tick of a 4-second timer). The
 * service replays its stored answer for a repeated nonce, so a scan sent twice is still one
 * check-in. Answers to scans sent late are listed as conflicts when they are not admissions.
 */
import type { DeskClientMessages } from './desk-client-messages';
import { searchPeople } from './desk-search';
import { el, fill } from './dom';
import { QrCamera } from './qr-camera';

interface QueuedScan {
  code: string;
  nonce: string;
  scannedAt: string;
  /** Shown as the answer when sent at once; otherwise a late answer goes to the conflicts. */
  live: boolean;
}

interface Person {
  reference: string;
  name: string;
  organisation: string;
  delegation: string | null;
}

interface Answer {
  result?: 'checked_in' | 'already_checked_in' | 'not_admitted' | 'not_found';
  reason?: string;
  registration?: Person;
  at?: string;
  firstAt?: string;
}

const root = document.getElementById('desk') as HTMLElement;
const slug = root.dataset.slug ?? '';
const csrf = root.dataset.csrf ?? '';
const zone = root.dataset.zone ?? 'UTC';
const locale = root.dataset.locale ?? 'en-GB';
const m = JSON.parse(root.dataset.messages ?? '{}') as DeskClientMessages;
const base = `/desk/${encodeURIComponent(slug)}`;
const QUEUE_KEY = `convene.desk.queue.${slug}`;
const CONFLICTS_KEY = `convene.desk.conflicts.${slug}`;
const POLL_MS = 4000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const timeOf = (iso: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, timeStyle: 'short' }).format(new Date(iso));

function load<T>(key: string): T[] {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
const save = (key: string, items: unknown[]) => localStorage.setItem(key, JSON.stringify(items));

function nonce(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A GET of one of the desk's JSON routes, with the page's session and CSRF token. */
const get = (path: string) =>
  fetch(`${base}${path}`, { headers: { 'x-csrf-token': csrf }, credentials: 'same-origin' });

// --- the answer ---------------------------------------------------------------------------

function describe(answer: Answer): { tone: string; title: string; detail: string } {
  switch (answer.result) {
    case 'checked_in':
      return { tone: 'ok', title: m.admitted, detail: '' };
    case 'already_checked_in':
      return {
        tone: 'warn',
        title: m.alreadyIn,
        detail: answer.firstAt ? fill(m.alreadyInSince, { time: timeOf(answer.firstAt) }) : '',
      };
    case 'not_admitted':
      return {
        tone: 'bad',
        title: m.notAdmitted,
        detail: (answer.reason && m.reasons[answer.reason]) || '',
      };
    default:
      return { tone: 'bad', title: m.unknownCode, detail: '' };
  }
}

function showAnswer(tone: string, title: string, detail: string, person?: Person): void {
  // Any new answer replaces the previous one's action.
  const actions = $('answer-actions');
  actions.hidden = true;
  actions.replaceChildren();
  const box = $('answer');
  box.className = `answer ${tone}`;
  box.replaceChildren(el('p', 'answer-title', title));
  if (detail) box.append(el('p', 'answer-detail', detail));
  if (person) {
    box.append(el('p', 'answer-name', person.name));
    const facts = [person.organisation, person.delegation, person.reference].filter(Boolean);
    box.append(el('p', 'answer-facts', facts.join(' · ')));
  }
}

function showResult(answer: Answer, code: string): void {
  const d = describe(answer);
  showAnswer(d.tone, d.title, d.detail, answer.registration);
  if (answer.result === 'not_admitted' && answer.reason === 'registered_online') {
    offerAdmitInPerson(code);
  }
}

/** Under "registered online": one button that lets the person in, switching them to in person. */
function offerAdmitInPerson(code: string): void {
  const actions = $('answer-actions');
  const button = el('button', 'button', m.admitInPerson);
  button.setAttribute('type', 'button');
  button.addEventListener('click', () => void admitInPerson(code, button));
  actions.replaceChildren(button);
  actions.hidden = false;
}

/**
 * Resends the scan with admitOnline: a different request, so a new nonce (the old one would
 * replay the refusal). Never queued: switching someone's mode is decided with the staff member
 * watching, so without a connection the desk says so and keeps the button for a retry.
 */
async function admitInPerson(code: string, button: HTMLElement): Promise<void> {
  const offline = () => {
    $('answer').querySelector('.answer-offline')?.remove();
    $('answer').append(el('p', 'answer-detail answer-offline', m.admitInPersonOffline));
    button.removeAttribute('disabled');
  };
  if (!navigator.onLine) return offline();
  button.setAttribute('disabled', '');
  let response: Response;
  try {
    response = await fetch(`${base}/check-ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: JSON.stringify({
        code,
        nonce: nonce(),
        scannedAt: new Date().toISOString(),
        admitOnline: true,
      }),
    });
  } catch {
    return offline();
  }
  if (response.status === 401 || response.status === 403 || response.status >= 500) {
    return offline();
  }
  const answer = (await response.json().catch(() => ({}))) as Answer;
  if (response.status === 400) return showAnswer('bad', m.invalid, code);
  showResult(answer, code);
}

// --- the queue ----------------------------------------------------------------------------

let sending = false;

function renderQueue(): void {
  const count = load<QueuedScan>(QUEUE_KEY).length;
  const unsent = $('unsent');
  unsent.hidden = count === 0;
  unsent.textContent = count === 0 ? '' : fill(m.unsent, { count });
  unsent.dataset.count = String(count);
  const offline = !navigator.onLine;
  $('connection').classList.toggle('offline', offline);
  $('connection-text').textContent = offline ? m.offline : m.online;
}

function renderConflicts(): void {
  const conflicts = load<{ code: string; text: string }>(CONFLICTS_KEY);
  $('conflicts-section').hidden = conflicts.length === 0;
  $('conflicts').replaceChildren(
    ...conflicts.map((c) => el('li', '', fill(m.conflictLine, { code: c.code, answer: c.text }))),
  );
}

function dequeue(scan: QueuedScan): void {
  save(
    QUEUE_KEY,
    load<QueuedScan>(QUEUE_KEY).filter((s) => s.nonce !== scan.nonce),
  );
}

/** Sends one scan; false when it could not reach the service (it stays queued). */
async function send(scan: QueuedScan): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${base}/check-ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: JSON.stringify({
        code: scan.code,
        nonce: scan.nonce,
        scannedAt: scan.scannedAt,
      }),
    });
  } catch {
    return false;
  }
  // Signed out or a server in trouble: keep the scan, try again later.
  if (response.status === 401 || response.status === 403 || response.status >= 500) return false;
  const answer = (await response.json().catch(() => ({}))) as Answer;
  dequeue(scan);
  if (response.status === 400) {
    if (scan.live) showAnswer('bad', m.invalid, scan.code);
    return true;
  }
  if (scan.live) {
    showResult(answer, scan.code);
  } else if (answer.result !== 'checked_in') {
    const d = describe(answer);
    const who = answer.registration ? ` (${answer.registration.name})` : '';
    const conflicts = load<{ code: string; text: string }>(CONFLICTS_KEY);
    conflicts.push({ code: scan.code, text: `${d.title}${d.detail ? `: ${d.detail}` : ''}${who}` });
    save(CONFLICTS_KEY, conflicts);
    renderConflicts();
  }
  return true;
}

/**
 * Sends the queued scans in order until none is left, those taken meanwhile included (a scan
 * made while another was being sent used to wait for the next scan); returns the first that
 * cannot reach the service, which stays queued with those after it.
 */
async function sendQueued(): Promise<QueuedScan | undefined> {
  for (let next = load<QueuedScan>(QUEUE_KEY)[0]; next; next = load<QueuedScan>(QUEUE_KEY)[0]) {
    if (!(await send(next))) return next;
    renderQueue();
  }
  return undefined;
}

/** Sends every queued scan in order, stopping at the first that cannot reach the service. */
async function flush(): Promise<void> {
  if (sending || !navigator.onLine) return;
  sending = true;
  try {
    await sendQueued();
  } finally {
    sending = false;
    renderQueue();
  }
}

async function scan(code: string): Promise<void> {
  const trimmed = code.trim();
  if (!trimmed) return;
  // A scan made offline is answered later, among the conflicts, not as the live answer.
  const item: QueuedScan = {
    code: trimmed,
    nonce: nonce(),
    scannedAt: new Date().toISOString(),
    live: navigator.onLine,
  };
  // Scans waiting from before go first and count as late; this one is the live one.
  const queue = load<QueuedScan>(QUEUE_KEY).map((s) => ({ ...s, live: false }));
  save(QUEUE_KEY, [...queue, item]);
  renderQueue();
  if (!navigator.onLine) {
    showAnswer('queued', m.queued, trimmed);
    return;
  }
  showAnswer('pending', m.sending, trimmed);
  // Scans under way already: that loop sends this one too, once it reaches it.
  if (sending) return;
  sending = true;
  try {
    // Could not reach the service: if this scan is still waiting, say so (it stays queued).
    const failed = await sendQueued();
    const waiting = load<QueuedScan>(QUEUE_KEY).some((s) => s.nonce === item.nonce);
    if (failed && waiting) showAnswer('queued', m.failed, trimmed);
  } finally {
    sending = false;
    renderQueue();
  }
}

// --- counts -------------------------------------------------------------------------------

async function refreshCounts(): Promise<void> {
  if (!navigator.onLine) return;
  try {
    const response = await get('/counts');
    if (!response.ok) return;
    const c = (await response.json()) as Record<string, number>;
    $('count-in-room').textContent = String(c.inRoom);
    $('count-in-person-total').textContent = fill(m.ofConfirmed, { total: c.confirmedInPerson });
    $('count-online').textContent = String(c.joinedOnline);
    $('count-online-total').textContent = fill(m.ofConfirmed, { total: c.confirmedOnline });
  } catch {
    // Offline for a moment: the next tick tries again.
  }
}

// --- camera -------------------------------------------------------------------------------

const camera = new QrCamera({
  video: $<HTMLVideoElement>('camera-video'),
  status: $('camera-status'),
  toggle: $('camera-toggle'),
  messages: m,
  onCode: (code) => void scan(code),
});

const searchView = {
  status: $('search-status'),
  list: $('search-results'),
  messages: m,
  request: (q: string) => get(`/search?q=${encodeURIComponent(q)}`),
  timeOf,
  onPick: (reference: string) => void scan(reference),
};

// --- wiring -------------------------------------------------------------------------------

$('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('code');
  const code = input.value;
  input.value = '';
  input.focus();
  void scan(code);
});
$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = $<HTMLInputElement>('search').value.trim();
  if (q) void searchPeople(searchView, q);
});
$('camera-toggle').addEventListener('click', () => {
  if (camera.running) camera.stop();
  else void camera.start();
});
window.addEventListener('online', () => {
  renderQueue();
  void flush();
  void refreshCounts();
});
window.addEventListener('offline', renderQueue);
// Scans left from before a reload are late ones now.
save(
  QUEUE_KEY,
  load<QueuedScan>(QUEUE_KEY).map((s) => ({ ...s, live: false })),
);
renderQueue();
renderConflicts();
void flush();
void refreshCounts();
setInterval(() => {
  void flush();
  void refreshCounts();
}, POLL_MS);
root.dataset.ready = 'true';
