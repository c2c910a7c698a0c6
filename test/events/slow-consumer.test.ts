import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import { JobStatusChangedDocument, JobStatusChangedWithDocumentDocument } from '../gql/graphql.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { createObservableBus, subscribe, wsClient } from '../helpers/live.js';
import { connectRawWebSocket } from '../helpers/raw-ws.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const MAX_LAG = 100;
const BATCH = 20;

describe('a slow subscriber', () => {
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];
  const bus = createObservableBus();

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    jobs = (await seedTwoProjects(ts.store, [200, 5])).filter((j) => j.project_uid === 'P1');
    server = await startTestServer(ts.store, { subscriptionMaxLag: MAX_LAG }, { bus });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it('is cut off past its lag cap with close code 4429 while others keep receiving, and resumes from its cursor', async () => {
    // A graphql-ws client over a raw socket that stops reading after subscribing.
    const idle = bus.subscribers();
    const slow = await connectRawWebSocket(server.wsUrl, 'graphql-transport-ws');
    slow.sendText(JSON.stringify({ type: 'connection_init' }));
    for (let i = 0; i < 200 && !slow.messages.some((m) => m.includes('connection_ack')); i++) await new Promise((r) => setTimeout(r, 10));
    const mark = bus.mark();
    slow.sendText(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: JobStatusChangedWithDocumentDocument.toString(), variables: { projectUid: 'P1' } } }));
    const fast = subscribe(wsClient(server.wsUrl), JobStatusChangedDocument, { projectUid: 'P1' });
    await bus.waitForSubscriptions(mark + 2);
    slow.pause();

    // Flip statuses in batches until the server has cut the slow subscriber off (its bus listener is gone).
    let written = 0;
    let status: Job['status'] = 'building';
    const base = jobs.filter((j) => !j.deleted).slice(0, BATCH);
    for (let round = 0; round < 2000 && bus.subscribers() > idle + 1; round++) {
      status = status === 'building' ? 'queued' : 'building';
      const result = await server.app.writer.writeJobs(base.map((j) => ({ ...j, status })));
      written += result.events.length;
      // Paced so a reading subscriber keeps up; the paused one cannot.
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(bus.subscribers(), 'the slow subscriber was removed').toBe(idle + 1);
    await fast.waitFor(written, 30_000);
    expect(fast.results).toHaveLength(written);

    slow.resume();
    expect(await slow.closed).toBe(4429);
    const received = slow.messages
      .map((m) => JSON.parse(m) as { type: string; payload?: { data?: { jobStatusChanged: { cursor: string } } } })
      .filter((m) => m.type === 'next' && m.payload?.data);
    expect(received.length).toBeLessThan(written);
    const lastCursor = received.at(-1)?.payload?.data?.jobStatusChanged.cursor;

    // Resuming from the last cursor it got brings exactly the rest.
    const resumed = subscribe(wsClient(server.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: lastCursor });
    await resumed.waitFor(written - received.length, 30_000);
    expect(resumed.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual(fast.results.slice(received.length).map((r) => r.data!.jobStatusChanged.cursor));
    slow.destroy();
    fast.stop();
    resumed.stop();
  }, 60_000);

  it('over SSE, gets a last event coded SLOW_CONSUMER once cut off, then the stream ends', async () => {
    // The previous test's subscriptions end asynchronously: count from a settled number.
    for (let stable = 0, last = -1; stable < 10; await new Promise((r) => setTimeout(r, 20))) {
      stable = bus.subscribers() === last ? stable + 1 : 0;
      last = bus.subscribers();
    }
    const idle = bus.subscribers();
    const mark = bus.mark();
    // An SSE client on a raw socket, so that it can really stop reading.
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const body = JSON.stringify({ query: JobStatusChangedWithDocumentDocument.toString(), variables: { projectUid: 'P1' } });
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    await bus.waitForSubscriptions(mark + 1);
    socket.pause();

    let status: Job['status'] = 'building';
    const base = jobs.filter((j) => !j.deleted).slice(0, BATCH);
    for (let round = 0; round < 2000 && bus.subscribers() > idle; round++) {
      status = status === 'building' ? 'queued' : 'building';
      await server.app.writer.writeJobs(base.map((j) => ({ ...j, status })));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(bus.subscribers(), 'the slow subscriber was removed').toBe(idle);

    socket.resume();
    await ended;
    const events = text.split('\n').filter((line) => line.startsWith('data: {'));
    const last = JSON.parse(events.at(-1)!.slice('data: '.length)) as { data: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(last.errors?.map((e) => e.extensions?.code)).toEqual(['SLOW_CONSUMER']);
    expect(events.length).toBeGreaterThan(1);
    expect(text).toContain('event: complete');
    socket.destroy();
  }, 60_000);
});
