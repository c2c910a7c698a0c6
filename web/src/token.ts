/** The API token of this tab: kept in sessionStorage, so a reload keeps it and a new tab asks again. */
const KEY = 'jobgraph.token';

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
