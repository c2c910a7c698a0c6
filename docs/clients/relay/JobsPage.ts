/**
 * Relay operations over jobgraph: a project's jobs as a paginated
 * `@connection` (Project implements Node, so the fragment is `@refetchable`),
 * and the status subscription that keeps them current. The Relay compiler
 * (relay.config.json beside this file) turns them into typed artifacts in
 * `__generated__/`; `DateTime` and `JSON` are typed by `customScalarTypes`.
 */
import { graphql } from 'relay-runtime';

export const jobsPageQuery = graphql`
  query JobsPageQuery($projectUid: String!, $first: Int!) {
    project(uid: $projectUid) {
      id
      uid
      ...JobsPage_project @arguments(first: $first)
    }
  }
`;

export const jobsPageFragment = graphql`
  fragment JobsPage_project on Project
  @refetchable(queryName: "JobsPagePaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 20 }, after: { type: "String" }) {
    jobs(first: $first, after: $after) @connection(key: "JobsPage_jobs") {
      edges {
        node {
          id
          uid
          status
          createdAt
          params: spec { params }
        }
      }
    }
  }
`;

export const jobStatusSubscription = graphql`
  subscription JobsPageStatusSubscription($projectUid: String!, $since: String) {
    jobStatusChanged(projectUid: $projectUid, since: $since) {
      cursor
      at
      job {
        id
        status
      }
    }
  }
`;
