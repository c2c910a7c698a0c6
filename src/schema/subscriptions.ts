import type { GraphQLResolveInfo } from 'graphql';
import { NotFoundError, SlowConsumerError } from '../model/errors.js';
import type { JobStatus } from '../model/job-status.js';
import { decodeEventCursor, encodeEventCursor } from '../events/event-cursor.js';
import { type DeliveredStatusEvent, OVERFLOW, openStatusStream } from '../events/status-stream.js';
import type { LineageWalk } from '../store/job-store.js';
import { readableProjects } from '../model/access.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { uidInput } from './input-checks.js';
import { JobStatusRef } from './job-enums.js';
import { JobRef } from './job.js';
import { LineageDirectionRef } from './lineage.js';
import { jobReadOf } from './selection.js';

/** Websocket close code for a subscriber cut off for falling behind (see docs/subscriptions.md). */
export const SLOW_CONSUMER_CLOSE_CODE = 4429;

type Payload = DeliveredStatusEvent | typeof OVERFLOW;

const SINCE_DESCRIPTION =
  'Cursor of the last event seen: first replay every later matching event, then continue live. Over SSE, a `Last-Event-ID` header (sent by a reconnecting EventSource) takes its place.';

export const JobStatusEventRef = builder.objectRef<DeliveredStatusEvent>('JobStatusEvent').implement({
  description: 'A job changed status. Events come in log order, each once; resume after a disconnect by passing the last `cursor` as `since`.',
  fields: (t) => ({
    cursor: t.string({ description: 'Position of this event in the event log; pass it as `since` to resume after it.', resolve: (e) => encodeEventCursor(e.seq) }),
    projectUid: t.exposeString('projectUid', { description: 'Project of the job.' }),
    jobUid: t.exposeString('jobUid', { description: 'Uid of the job.' }),
    previousStatus: t.field({ type: JobStatusRef, nullable: true, description: 'Status before the change; null when the job first appeared.', resolve: (e) => e.previousStatus }),
    status: t.field({ type: JobStatusRef, description: 'Status after the change.', resolve: (e) => e.status }),
    at: t.field({ type: 'DateTime', description: 'When the change was committed.', resolve: (e) => e.at }),
    job: t.field({
      type: JobRef,
      description: 'The job as it is now.',
      resolve: async (e, _a, ctx) => e.job ?? (await ctx.loaders.jobs().load({ projectUid: e.projectUid, uid: e.jobUid })) ?? missing(e),
    }),
  }),
});

function missing(e: DeliveredStatusEvent): never {
  throw new NotFoundError(`Job ${e.projectUid}/${e.jobUid} of this event no longer exists.`);
}

function unwrap(payload: Payload): DeliveredStatusEvent {
  if (payload === OVERFLOW) {
    throw new SlowConsumerError('Too many events were waiting for this subscriber; subscribe again with `since` set to the last cursor received.');
  }
  return payload;
}

function streamOptions(ctx: Context, sinceArg: string | null | undefined, info: GraphQLResolveInfo) {
  // An SSE client's Last-Event-ID is where this very stream got to before it was cut; the `since` it
  // started with (still in its URL or body) is older.
  const since = ctx.subscriptions.resumeAfter ?? sinceArg;
  return {
    jobColumnsOnly: !jobReadOf(info).document,
    store: ctx.store,
    bus: ctx.bus,
    sinceSeq: since == null ? null : decodeEventCursor(since),
    maxLag: ctx.subscriptions.maxLag,
    // Live events come from the bus, not the store: the caller's projects are checked on each one.
    projectUids: readableProjects(ctx.access),
    onOverflow: (lag: number) => {
      ctx.statusEvents?.cutOff(lag);
      ctx.closeConnection?.(SLOW_CONSUMER_CLOSE_CODE, 'slow consumer: resubscribe with since');
    },
    onDelivered: ctx.statusEvents?.delivered,
  };
}

builder.subscriptionType({
  description: 'Live status changes, over graphql-ws (websocket) or server-sent events.',
  fields: (t) => ({
    jobStatusChanged: t.field({
      type: JobStatusEventRef,
      description: 'Status changes of the jobs matching every given argument.',
      args: {
        projectUid: t.arg.string({ description: 'Only jobs of this project.', ...uidInput('P') }),
        workspaceUid: t.arg.string({ description: 'Only jobs linked to this workspace.', ...uidInput('W') }),
        jobUid: t.arg.string({ description: 'Only this job (combine with projectUid).', ...uidInput('J') }),
        statuses: t.arg({ type: [JobStatusRef], description: 'Only changes into one of these statuses.' }),
        since: t.arg.string({ description: SINCE_DESCRIPTION }),
      },
      subscribe: (_root, args, ctx, info) => {
        const workspaceUid = args.workspaceUid;
        return openStatusStream({
          ...streamOptions(ctx, args.since, info),
          // The workspace test reads the job's document.
          ...(workspaceUid == null ? {} : { jobColumnsOnly: false }),
          projectUid: args.projectUid,
          jobUids: args.jobUid == null ? null : [args.jobUid],
          statuses: args.statuses as JobStatus[] | null | undefined,
          accept: workspaceUid == null ? undefined : (e) => e.job?.workspace_uids.includes(workspaceUid) ?? false,
        });
      },
      resolve: (payload: Payload) => unwrap(payload),
    }),
    lineageStatusChanged: t.field({
      type: JobStatusEventRef,
      description: 'Status changes of a job and its lineage, following the lineage as it is when each event happens (jobs added later included).',
      args: {
        projectUid: t.arg.string({ required: true, description: 'Project of the root job.', ...uidInput('P') }),
        uid: t.arg.string({ required: true, description: 'Root job uid.', ...uidInput('J') }),
        direction: t.arg({ type: LineageDirectionRef, defaultValue: 'DESCENDANTS', description: 'Which side of the root to follow.' }),
        since: t.arg.string({ description: SINCE_DESCRIPTION }),
      },
      subscribe: async (_root, args, ctx, info) => {
        const root = { projectUid: args.projectUid, uid: args.uid };
        const [rootJob] = await ctx.store.findJobs([root]);
        if (!rootJob) throw new NotFoundError(`Job ${root.projectUid}/${root.uid} does not exist.`);
        const direction = args.direction ?? 'DESCENDANTS';
        const walks: LineageWalk[] = direction === 'BOTH' ? ['ancestors', 'descendants'] : [direction === 'ANCESTORS' ? 'ancestors' : 'descendants'];
        const members = async () => {
          const sets = await Promise.all(walks.map((w) => ctx.store.findLineageUids(root, w)));
          return new Set(sets.flatMap((s) => [...s]));
        };
        let lineage = await members();
        return openStatusStream({
          ...streamOptions(ctx, args.since, info),
          projectUid: args.projectUid,
          accept: async (e) => {
            if (e.jobUid === root.uid || lineage.has(e.jobUid)) return true;
            // Not a member when last looked: the graph may have grown since.
            lineage = await members();
            return lineage.has(e.jobUid);
          },
        });
      },
      resolve: (payload: Payload) => unwrap(payload),
    }),
  }),
});
