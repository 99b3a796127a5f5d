import type { DeskClientMessages } from './desk-client-messages';
import { el, fill } from './dom';

interface SearchItem {
  reference: string;
  name: string;
  organisation: string;
  delegation: string | null;
  status: string;
  attendanceMode: string;
  checkedInAt: string | null;
}

export interface SearchView {
  status: HTMLElement;
  list: HTMLElement;
  messages: Pick<
    DeskClientMessages,
    'searchOffline' | 'searchNone' | 'searchMore' | 'checkedInAt' | 'checkInPerson'
  >;
  /** The desk's search route for q, with the page's credentials. */
  request(q: string): Promise<Response>;
  timeOf(iso: string): string;
  /** A person's "check in" button was pressed. */
  onPick(reference: string): void;
}

/** Name search at the desk: one list of people, each with a button that checks them in. */
export async function searchPeople(view: SearchView, q: string): Promise<void> {
  const m = view.messages;
  if (!navigator.onLine) {
    view.status.textContent = m.searchOffline;
    view.list.replaceChildren();
    return;
  }
  let items: SearchItem[];
  let more: boolean;
  try {
    const response = await view.request(q);
    if (!response.ok) throw new Error(String(response.status));
    const body = (await response.json()) as { items: SearchItem[]; more: boolean };
    items = body.items;
    more = body.more;
  } catch {
    view.status.textContent = m.searchOffline;
    view.list.replaceChildren();
    return;
  }
  view.status.textContent = items.length === 0 ? m.searchNone : more ? m.searchMore : '';
  view.list.replaceChildren(
    ...items.map((item) => {
      const li = el('li', 'search-item');
      const who = el('div', 'search-who');
      who.append(el('strong', '', item.name));
      const facts = [item.organisation, item.delegation, item.reference]
        .filter(Boolean)
        .join(' · ');
      who.append(el('span', 'muted', ` ${facts}`));
      if (item.checkedInAt) {
        who.append(el('span', 'tag', fill(m.checkedInAt, { time: view.timeOf(item.checkedInAt) })));
      }
      const button = el('button', 'button', fill(m.checkInPerson, { name: item.name }));
      button.setAttribute('type', 'button');
      button.addEventListener('click', () => view.onPick(item.reference));
      li.append(who, button);
      return li;
    }),
  );
}
