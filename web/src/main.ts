/**
 * jobgraph's viewer: a client of the public GraphQL API and nothing else.
 * Boot asks for the projects; an UNAUTHENTICATED answer shows the token
 * form. Then one live connection feeds whichever view the route shows.
 */
import { ViewerProjectsDocument } from '../gql/graphql.js';
import { ApiError, request } from './api.js';
import { h } from './dom.js';
import { errorWords } from './errors.js';
import { createLayoutClient } from './graph/layout-client.js';
import { type LiveState, startLive } from './live.js';
import { type Route, startRouter } from './router.js';
import { readToken, saveToken } from './token.js';
import { createProjectView } from './views/project-view.js';
import { createProjectsView } from './views/projects-view.js';
import type { View } from './views/view.js';

const LIVE_WORDS: Record<LiveState, string> = { live: 'live', reconnecting: 'reconnecting', offline: 'offline' };

const main = document.getElementById('app')!;
const header = document.getElementById('top')!;
const indicator = h('span', { class: 'live-indicator', role: 'status', 'data-state': 'reconnecting', 'aria-label': 'reconnecting' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'live-word' }, 'reconnecting'));
const forget = h('button', { type: 'button', class: 'forget-token', hidden: !readToken(), onclick: () => (saveToken(null), location.reload()) }, 'Forget token');
header.append(indicator, forget);

function showLiveState(state: LiveState) {
  indicator.dataset.state = state;
  indicator.setAttribute('aria-label', LIVE_WORDS[state]);
  indicator.querySelector('.live-word')!.textContent = LIVE_WORDS[state];
}

async function boot(): Promise<void> {
  // The gateway marks its page when it has a tokens file: ask first rather than be refused.
  if (document.documentElement.dataset.auth === 'token' && !readToken()) return askForToken(null);
  try {
    await request(ViewerProjectsDocument, {});
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return askForToken(readToken() ? 'That token is not valid.' : null);
    main.replaceChildren(h('p', { role: 'alert', class: 'error' }, error instanceof ApiError ? errorWords(error.code, error.message) : 'the gateway cannot be reached'));
    return;
  }
  const workerUrl = document.querySelector<HTMLMetaElement>('meta[name="jobgraph-layout-worker"]')!.content;
  const layout = createLayoutClient(workerUrl);
  let view: View | undefined;
  const live = startLive({
    onEvent: (event) => view?.onEvent(event),
    onState: showLiveState,
    onReconnected: (resumed) => view?.onReconnected?.(resumed),
  });
  showLiveState(live.state);
  const router = startRouter((route: Route) => {
    if (view?.update?.(route)) return;
    view?.dispose();
    document.title = 'jobgraph';
    if (route.name === 'projects') view = createProjectsView();
    else if (route.name === 'missing') view = { element: h('section', {}, h('h1', {}, 'not found'), h('p', {}, h('a', { href: '/' }, 'All projects'))), onEvent() {}, dispose() {} };
    else view = createProjectView({ projectUid: route.projectUid, jobUid: route.name === 'job' ? route.jobUid : null, layout, navigate: (path) => router.navigate(path) });
    main.replaceChildren(view.element);
  });
}

function askForToken(problem: string | null): void {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    {
      class: 'token-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        saveToken(input.value.trim());
        forget.hidden = false;
        main.replaceChildren(h('p', { class: 'muted' }, 'checking…'));
        void boot();
      },
    },
    h('h1', {}, 'This gateway needs a token'),
    h('p', {}, 'Paste an API token (from ', h('code', {}, 'jobgraph token create'), '). It is kept in this tab only.'),
    h('label', { for: 'token' }, 'token'),
    input,
    h('button', { type: 'submit' }, 'Use token'),
    problem ? h('p', { role: 'alert', class: 'error' }, problem) : '',
  );
  main.replaceChildren(form);
  showLiveState('offline');
  input.focus();
}

void boot();
