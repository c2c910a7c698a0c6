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
});
