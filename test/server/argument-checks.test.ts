import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTwoProjects } from '../helpers/dataset.js';
import { wsClient } from '../helpers/live.js';
import { type RawResponse, send, sendQuery } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const NUL = '\u0000';
const globalId = (text: string) => Buffer.from(text).toString('base64');

/** Refused as a request error: 400 (graphql-response+json), BAD_USER_INPUT, no data, and a message naming `argument`. */
function expectBadArgument(response: RawResponse, argument: string) {
  expect({ status: response.status, codes: response.codes, data: response.body?.data }, response.text).toEqual({ status: 400, codes: ['BAD_USER_INPUT'], data: undefined });
  expect(response.body!.errors![0]!.message).toContain(`\`${argument}\``);
}

/** Runs one operation over graphql-ws and returns every error it produced (as results or as the stream's failure). */
function overWebSocket(client: Client, query: string, variables: Record<string, unknown> = {}) {
  return new Promise<{ codes: unknown[]; messages: string[]; data: unknown[] }>((resolve) => {
    const errors: { message: string; extensions?: { code?: unknown } }[] = [];
    const data: unknown[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (result) => {
          errors.push(...((result.errors ?? []) as typeof errors));
          if (result.data) data.push(result.data);
        },
        error: (error) => {
          errors.push(...(Array.isArray(error) ? error : [{ message: String(error) }]));
          resolve({ codes: errors.map((e) => e.extensions?.code), messages: errors.map((e) => e.message), data });
        },
        complete: () => resolve({ codes: errors.map((e) => e.extensions?.code), messages: errors.map((e) => e.message), data }),
      },
    );
  });
}

describe.each(STORES)('argument checks on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let client: Client;

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    await seedTwoProjects(ts.store, [20, 5]);
    server = await startTestServer(ts.store);
    client = wsClient(server.wsUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.stop();
    await ts?.dispose();
  });

  const titleOfJ1 = async () => {
    const [job] = await ts.store.findJobs([{ projectUid: 'P1', uid: 'J1' }]);
    return job!.title;
  };

  it.skipIf(!storeAvailable(kind))('refuses NUL in titleContains, written in the document or as a variable, instead of matching every job or failing', async () => {
    // `\u0000` is a GraphQL escape inside the document's string literal.
    expectBadArgument(await sendQuery(server.url, '{ jobs(filter: { titleContains: "a\\u0000" }) { totalCount } }'), 'filter.titleContains');
    expectBadArgument(await sendQuery(server.url, 'query T($t: String) { jobs(filter: { titleContains: $t }) { totalCount } }', { t: NUL }), 'filter.titleContains');
    expectBadArgument(await sendQuery(server.url, 'query F($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { titleContains: `refine${NUL}` } }), 'filter.titleContains');
    // A default value is checked when the variable is not given.
    expectBadArgument(await sendQuery(server.url, 'query T($t: String = "\\u0000") { jobs(filter: { titleContains: $t }) { totalCount } }'), 'filter.titleContains');
    // Nested fields' arguments too.
    expectBadArgument(
      await sendQuery(server.url, 'query T($t: String) { job(projectUid: "P1", uid: "J3") { ancestors(filter: { titleContains: $t }) { totalCount } } }', { t: NUL }),
      'filter.titleContains',
    );
  });

  it.skipIf(!storeAvailable(kind))('refuses NUL in every other string argument: type and tag lists, cursors, since, ids', async () => {
    expectBadArgument(await sendQuery(server.url, 'query T($t: [String!]) { jobs(filter: { type: $t }) { totalCount } }', { t: ['homo_abinit', NUL] }), 'filter.type[1]');
    expectBadArgument(await sendQuery(server.url, '{ jobs(filter: { tags: ["x\\u0000"] }) { totalCount } }'), 'filter.tags[0]');
    expectBadArgument(await sendQuery(server.url, 'query A($a: String) { jobs(first: 2, after: $a) { totalCount } }', { a: `abc${NUL}` }), 'after');
    expectBadArgument(await sendQuery(server.url, 'query N($id: ID!) { node(id: $id) { id } }', { id: NUL }), 'id');
    expectBadArgument(await sendQuery(server.url, 'query P($p: String!) { project(uid: $p) { uid } }', { p: `P1${NUL}` }), 'uid');
  });

  it.skipIf(!storeAvailable(kind))('refuses NUL or an unpaired surrogate in an updateJob title, and changes nothing', async () => {
    const before = await titleOfJ1();
    const mutation = 'mutation U($input: UpdateJobInput!) { updateJob(input: $input) { job { title } } }';
    expectBadArgument(await sendQuery(server.url, mutation, { input: { projectUid: 'P1', uid: 'J1', title: `bad${NUL}title` } }), 'input.title');
    expectBadArgument(await sendQuery(server.url, mutation, { input: { projectUid: 'P1', uid: 'J1', title: 'half \ud800 pair' } }), 'input.title');
    expectBadArgument(await sendQuery(server.url, mutation, { input: { projectUid: 'P1', uid: 'J1', tags: ['ok', `t${NUL}`] } }), 'input.tags[1]');
    expectBadArgument(await sendQuery(server.url, 'mutation { updateJob(input: { projectUid: "P1", uid: "J1", title: "\\u0000" }) { job { title } } }'), 'input.title');
    // No mutation of the operation runs, not even the valid one before the bad one.
    const two = await sendQuery(server.url, 'mutation M($t: String) { a: updateJob(input: { projectUid: "P1", uid: "J1", title: "first" }) { job { title } } b: updateJob(input: { projectUid: "P1", uid: "J1", title: $t }) { job { title } } }', { t: NUL });
    expectBadArgument(two, 'input.title');
    expect(await titleOfJ1()).toBe(before);
    // A surrogate pair is text like any other.
    const emoji = await sendQuery(server.url, mutation, { input: { projectUid: 'P1', uid: 'J1', title: 'ok 🧬' } });
    expect(emoji.body?.data).toEqual({ updateJob: { job: { title: 'ok 🧬' } } });
  });

  it.skipIf(!storeAvailable(kind))('refuses non-canonical or out-of-range uids in queries, filters, lineage and mutations, naming the argument', async () => {
    expectBadArgument(await sendQuery(server.url, '{ job(projectUid: "P01", uid: "J1") { uid } }'), 'projectUid');
    expectBadArgument(await sendQuery(server.url, '{ job(projectUid: "P1", uid: "J01") { uid } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, '{ job(projectUid: "P1", uid: "J99999999999999999999") { uid } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, '{ job(projectUid: "P1", uid: "j1") { uid } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, 'query J($f: JobFilter) { jobs(filter: $f) { totalCount } }', { f: { projectUid: 'P1', uids: ['J1', 'J01'] } }), 'filter.uids[1]');
    expectBadArgument(await sendQuery(server.url, '{ jobs(filter: { projectUid: "P1", workspaceUid: "W2147483648" }) { totalCount } }'), 'filter.workspaceUid');
    expectBadArgument(await sendQuery(server.url, '{ project(uid: "P1 ") { uid } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, '{ workspace(projectUid: "P1", uid: "J1") { uid } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, '{ lineage(projectUid: "P1", uid: "J003") { truncated } }'), 'uid');
    expectBadArgument(await sendQuery(server.url, '{ project(uid: "P1") { jobs(filter: { uids: "J07" }) { totalCount } } }'), 'filter.uids');
    for (const mutation of ['setJobStatus(input: { projectUid: "P1", uid: "J01", status: QUEUED }) { job { uid } }', 'starJob(input: { projectUid: "P1", uid: "J01" }) { job { uid } }']) {
      expectBadArgument(await sendQuery(server.url, `mutation { ${mutation} }`), 'input.uid');
    }
    // Canonical uids, the largest included, pass.
    const fine = await sendQuery(server.url, '{ job(projectUid: "P1", uid: "J1") { uid } none: job(projectUid: "P1", uid: "J2147483647") { uid } jobs(filter: { uids: ["J1", "J2"], projectUid: "P1" }) { totalCount } }');
    expect(fine.body).toEqual({ data: { job: { uid: 'J1' }, none: null, jobs: { totalCount: 2 } } });
  });

  it.skipIf(!storeAvailable(kind))('checks websocket operations alike: queries, mutations and subscriptions', async () => {
    const query = await overWebSocket(client, 'query T($t: String) { jobs(filter: { titleContains: $t }) { totalCount } }', { t: NUL });
    expect(query.codes).toEqual(['BAD_USER_INPUT']);
    expect(query.messages[0]).toContain('`filter.titleContains`');
    const before = await titleOfJ1();
    const mutation = await overWebSocket(client, 'mutation U($t: String) { updateJob(input: { projectUid: "P1", uid: "J1", title: $t }) { job { title } } }', { t: `x${NUL}` });
    expect(mutation.codes).toEqual(['BAD_USER_INPUT']);
    expect(await titleOfJ1()).toBe(before);
    const since = await overWebSocket(client, 'subscription S($s: String) { jobStatusChanged(projectUid: "P1", since: $s) { cursor } }', { s: NUL });
    expect(since.codes).toEqual(['BAD_USER_INPUT']);
    expect(since.messages[0]).toContain('`since`');
    const uid = await overWebSocket(client, 'subscription { lineageStatusChanged(projectUid: "P1", uid: "J01") { cursor } }');
    expect(uid.codes).toEqual(['BAD_USER_INPUT']);
    expect(uid.messages[0]).toContain('`uid`');
    const jobUid = await overWebSocket(client, 'subscription { jobStatusChanged(projectUid: "P1", jobUid: "J1e3") { cursor } }');
    expect(jobUid.codes).toEqual(['BAD_USER_INPUT']);
  });

  it.skipIf(!storeAvailable(kind))('answers a subscription with a bad argument over SSE with a coded error, not 5xx', async () => {
    const response = await send(server.url, {
      headers: { accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription S($p: String) { jobStatusChanged(projectUid: $p) { cursor } }', variables: { p: 'P01' } }),
    });
    expect(response.status).toBeLessThan(500);
    expect(response.text).toContain('BAD_USER_INPUT');
    expect(response.text).toContain('`projectUid`');
  });

  it.skipIf(!storeAvailable(kind))('node(id:) answers a malformed global id with BAD_USER_INPUT and a missing object with null', async () => {
    const node = (id: string) => sendQuery(server.url, 'query N($id: ID!) { node(id: $id) { id ... on Job { uid } } }', { id });
    const job = await node(globalId('Job:P1/J2'));
    expect(job.body).toEqual({ data: { node: { id: globalId('Job:P1/J2'), uid: 'J2' } } });
    expect((await node(globalId('Job:P1/J9999'))).body).toEqual({ data: { node: null } });
    expect((await node(globalId('Project:P42'))).body).toEqual({ data: { node: null } });
    for (const garbage of ['garbage', '!!!', '', globalId('Job:P1/J02'), globalId('Job:P1'), globalId('JobStatusEvent:1'), globalId('Nope:P1'), globalId('Project:P1:x'), `${globalId('Job:P1/J2')}\n`]) {
      const response = await node(garbage);
      expect({ id: garbage, codes: response.codes }).toEqual({ id: garbage, codes: ['BAD_USER_INPUT'] });
      expect(response.status).toBeLessThan(500);
    }
    const nodes = await sendQuery(server.url, 'query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [globalId('Project:P1'), 'garbage'] });
    expect(nodes.codes).toEqual(['BAD_USER_INPUT']);
    const fine = await sendQuery(server.url, 'query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [globalId('Project:P1'), globalId('Workspace:P1/W1'), globalId('Workspace:P1/W999')] });
    expect(fine.body).toEqual({ data: { nodes: [{ id: globalId('Project:P1') }, { id: globalId('Workspace:P1/W1') }, null] } });
  });
});
