/** The gateway's error codes, in words a person can act on. */
const WORDS: Record<string, string> = {
  NOT_FOUND: 'not found',
  INVALID_TRANSITION: 'the job cannot go to that status from its current one',
  FORBIDDEN: 'your token may not do that',
  UNAUTHENTICATED: 'a valid token is needed',
  BAD_USER_INPUT: 'the request was not valid',
  BAD_CURSOR: 'the page position is no longer valid; reload the list',
  COST_LIMIT_EXCEEDED: 'the request asked for too much at once',
  UPSTREAM_UNAVAILABLE: 'CryoSPARC cannot be reached right now',
  NETWORK: 'the gateway cannot be reached',
};

export function errorWords(code: string, message?: string): string {
  const words = WORDS[code];
  if (words) return message && code !== 'NETWORK' ? `${words} (${message})` : words;
  return message ?? code.toLowerCase().replace(/_/g, ' ');
}
