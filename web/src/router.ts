/** The app's routes; deep links survive a reload because the gateway answers every one with the app. */
export type Route =
  | { name: 'projects' }
  | { name: 'project'; projectUid: string }
  | { name: 'job'; projectUid: string; jobUid: string }
  | { name: 'missing' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'projects' };
  const match = /^\/projects\/([A-Za-z0-9]+)(?:\/jobs\/([A-Za-z0-9]+))?\/?$/.exec(pathname);
  if (!match) return { name: 'missing' };
  return match[2] ? { name: 'job', projectUid: match[1]!, jobUid: match[2] } : { name: 'project', projectUid: match[1]! };
}

export function projectPath(projectUid: string): string {
  return `/projects/${encodeURIComponent(projectUid)}`;
}

export function jobPath(projectUid: string, jobUid: string): string {
  return `${projectPath(projectUid)}/jobs/${encodeURIComponent(jobUid)}`;
}

/** Follows same-origin links without a reload and calls `onRoute` on every change (links, back, forward). */
export function startRouter(onRoute: (route: Route) => void): { navigate(path: string, replace?: boolean): void } {
  const navigate = (path: string, replace = false) => {
    if (path !== location.pathname) (replace ? history.replaceState : history.pushState).call(history, null, '', path);
    onRoute(parseRoute(location.pathname));
  };
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!link || link.origin !== location.origin || link.target || link.hasAttribute('download') || link.pathname.startsWith('/graphql')) return;
    event.preventDefault();
    navigate(link.pathname);
  });
  addEventListener('popstate', () => onRoute(parseRoute(location.pathname)));
  onRoute(parseRoute(location.pathname));
  return { navigate };
}
