import type { Event } from '../../events/event.entity';
import { zoneLabel } from '../shared/dates';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { DeskMessages } from './desk-messages';

/**
 * The desk's markup. The script (client/desk.client.ts) brings it to life; what it needs comes
 * in data attributes: the event, its zone and the page's locale (for "already in at 09:12"),
 * the CSRF token for its JSON calls, and its words in the page's language.
 */
export function deskView(
  context: PageContext,
  m: DeskMessages,
  event: Event,
  session: SafeHtml,
): SafeHtml {
  const c = m.client;
  return html`<div
    id="desk"
    class="desk"
    data-slug="${event.slug}"
    data-csrf="${context.csrfToken}"
    data-zone="${event.timezone}"
    data-locale="${context.t.locale}"
    data-messages="${JSON.stringify(c)}"
  >
    ${session}
    <h1>${m.title({ event: event.title })}</h1>
    <p class="muted">${m.timesIn({ zone: zoneLabel(context.t, event.timezone, new Date()) })}</p>
    <p id="connection" class="connection" role="status" aria-live="polite">
      <span id="connection-text">${c.online}</span>
      <span id="unsent" class="unsent" hidden></span>
    </p>

    <section aria-labelledby="answer-heading" class="answer-box">
      <h2 id="answer-heading" class="visually-hidden">${m.answerHeading}</h2>
      <div id="answer" class="answer idle" role="status" aria-live="assertive" aria-atomic="true">
        <p class="answer-title">${m.answerIdle}</p>
      </div>
      <p id="answer-actions" class="answer-actions" hidden></p>
    </section>

    <section aria-labelledby="scan-heading">
      <h2 id="scan-heading">${m.scanHeading}</h2>
      <form id="code-form" class="desk-form" novalidate>
        <div class="field">
          <label for="code">${m.codeLabel}</label>
          <p class="hint" id="code-hint">${m.codeHint}</p>
          <input
            id="code"
            name="code"
            type="text"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            maxlength="200"
            required
            aria-describedby="code-hint"
          />
        </div>
        <button type="submit" class="button">${m.checkIn}</button>
      </form>
      <div class="camera">
        <button type="button" id="camera-toggle" class="button secondary">${c.cameraStart}</button>
        <p class="hint">${m.cameraHint}</p>
        <p id="camera-status" class="muted" role="status"></p>
        <video id="camera-video" class="camera-video" muted playsinline hidden></video>
      </div>
    </section>

    <section aria-labelledby="search-heading">
      <h2 id="search-heading">${m.searchHeading}</h2>
      <form id="search-form" class="desk-form" novalidate>
        <div class="field">
          <label for="search">${m.searchLabel}</label>
          <input id="search" name="q" type="search" autocomplete="off" maxlength="200" required />
        </div>
        <button type="submit" class="button secondary">${m.searchButton}</button>
      </form>
      <p id="search-status" class="muted" role="status" aria-live="polite"></p>
      <ul id="search-results" class="search-results"></ul>
    </section>

    <section aria-labelledby="counts-heading">
      <h2 id="counts-heading">${m.countsHeading}</h2>
      <dl class="counts">
        <div>
          <dt>${m.inRoom}</dt>
          <dd>
            <span id="count-in-room" class="count">–</span>
            <span id="count-in-person-total" class="muted"></span>
          </dd>
        </div>
        <div>
          <dt>${m.onlineNow}</dt>
          <dd>
            <span id="count-online" class="count">–</span>
            <span id="count-online-total" class="muted"></span>
          </dd>
        </div>
      </dl>
    </section>

    <section aria-labelledby="conflicts-heading" id="conflicts-section" hidden>
      <h2 id="conflicts-heading">${m.conflictsHeading}</h2>
      <ul id="conflicts" class="conflicts"></ul>
    </section>
  </div>`;
}
