import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('uses defaults, then the environment, then flags', () => {
    expect(loadConfig({}, {})).toMatchObject({ db: './data/jobgraph.db', host: '127.0.0.1', port: 4000, demo: false, graphiql: true, logLevel: 'info' });
    expect(loadConfig({}, { JOBGRAPH_PORT: '5000', JOBGRAPH_DEMO: 'yes' })).toMatchObject({ port: 5000, demo: true });
    expect(loadConfig({ port: '6000' }, { JOBGRAPH_PORT: '5000' }).port).toBe(6000);
  });

  it('reports every bad setting at once, naming its flag and its variable', () => {
    let error: unknown;
    try {
      loadConfig({ port: 'eighty' }, { JOBGRAPH_LOG_LEVEL: 'loud', JOBGRAPH_REDIS_URL: 'http://nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/--port \/ JOBGRAPH_PORT: .*"eighty"/);
    expect(problems).toMatch(/--log-level \/ JOBGRAPH_LOG_LEVEL/);
    expect(problems).toMatch(/--redis \/ JOBGRAPH_REDIS_URL: expected a redis:\/\/ URL/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}, {}))).toBe(true);
  });

  it('reads the CryoSPARC URL from its flag, JOBGRAPH_CRYOSPARC_URL, then CRYOSPARC_BASE_URL', () => {
    const token = { cryosparcToken: 't' };
    expect(loadConfig(token, { CRYOSPARC_BASE_URL: 'http://cs:61000/' }).cryosparc).toBe('http://cs:61000');
    expect(loadConfig(token, { CRYOSPARC_BASE_URL: 'http://cs:61000', JOBGRAPH_CRYOSPARC_URL: 'http://other:1' }).cryosparc).toBe('http://other:1');
    expect(loadConfig({ ...token, cryosparc: 'http://flag:2' }, { CRYOSPARC_BASE_URL: 'http://cs:61000' }).cryosparc).toBe('http://flag:2');
    expect(loadConfig({ cryosparc: 'http://cs:1', cryosparcToken: 't' }, {})).toMatchObject({ cryosparcPollMs: 1000, cryosparcProjects: [] });
    expect(loadConfig({ cryosparc: 'http://cs:1', cryosparcToken: 't', cryosparcProjects: 'P1, P3' }, {}).cryosparcProjects).toEqual(['P1', 'P3']);
  });

  it('needs a token or an email and password with --cryosparc, and never repeats a secret', () => {
    const problems = (flags: Record<string, unknown>) => {
      try {
        loadConfig(flags, {});
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ cryosparc: 'http://cs:1' }).join('\n')).toMatch(/--cryosparc-email \/ JOBGRAPH_CRYOSPARC_EMAIL: required/);
    expect(problems({ cryosparc: 'http://cs:1', cryosparcToken: 'tok-123', cryosparcPassword: 'pw-456' }).join('\n')).toMatch(/not both/);
    expect(problems({ cryosparcPassword: 'pw-456' }).join('\n')).toMatch(/needs --cryosparc/);
    expect(problems({ cryosparc: 'http://cs:1', cryosparcToken: 'tok-123', watch: '/data/P1' }).join('\n')).toMatch(/--watch .*one source of truth/);
    const all = [problems({ cryosparc: 'http://cs:1', cryosparcToken: 'tok-123', cryosparcPassword: 'pw-456' }), problems({ cryosparcPassword: 'pw-456' })].flat().join('\n');
    expect(all).not.toContain('tok-123');
    expect(all).not.toContain('pw-456');
    expect(problems({ cryosparc: 'ftp://cs', cryosparcToken: 't' }).join('\n')).toMatch(/--cryosparc \/ JOBGRAPH_CRYOSPARC_URL/);
  });
});
