// Saved Logs Insights queries (CloudWatch console > Logs Insights > Saved queries, folder
// "Semaphore"): the consumer's latest telemetry, rejected records and failed batches, the sweeps'
// summaries and failures, and for each enabled kind its latest lines plus the queries its module
// declares.

import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { KindQuery } from "../../../shared/kinds/kind.js";
import { type KindId, kindById } from "../../../shared/kinds/registry.js";
import type { MonitoringProps } from "./monitoring.js";

export type SavedQueriesProps = Omit<MonitoringProps, "deadLetterQueues">;

/** The columns every telemetry line starts with (shared/consumer/telemetry-line.ts). */
const COMMON_COLUMNS = ["@timestamp", "kind", "organizationName", "networkName", "deviceName", "serial"];
const TELEMETRY = 'message = "telemetry"';

export class SavedQueries extends Construct {
  readonly queries: logs.QueryDefinition[] = [];

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const kinds = Object.keys(props.sweeps) as KindId[];
    const consumerLogs = [props.consumer.logGroup];
    const sweepLogs = kinds.map((kind) => props.sweeps[kind]!.logGroup);

    this.#query("TelemetryQuery", "consumer - latest telemetry", consumerLogs, {
      fields: [...COMMON_COLUMNS, "windowStart"],
      filterStatements: [TELEMETRY],
      sort: "@timestamp desc",
      limit: 200,
    });
    for (const kindId of kinds) {
      const kind = kindById(kindId);
      const ofKind = [TELEMETRY, `kind = "${kind.id}"`];
      this.#query(`${kindId}-LatestQuery`, `${kind.id} - latest`, consumerLogs, {
        fields: [...COMMON_COLUMNS, ...Object.keys(kind.consumer.fields)],
        filterStatements: ofKind,
        sort: "@timestamp desc",
        limit: 200,
      });
      for (const declared of kind.monitoring.queries(props.config.sweeps[kindId].alarms)) {
        this.#query(`${kindId}-${declared.id}Query`, `${kind.id} - ${declared.name}`, consumerLogs, {
          ...queryProps(declared),
          filterStatements: [...ofKind, ...(declared.filter ?? [])],
        });
      }
    }
    this.#query("RejectedQuery", "consumer - rejected records", consumerLogs, {
      fields: ["@timestamp", "reason", "detail", "topic", "partition", "offset", "key", "schema", "preview"],
      filterStatements: ['message = "rejected record"'],
      sort: "@timestamp desc",
      limit: 200,
    });
    this.#query("FailedBatchesQuery", "consumer - failed batches", consumerLogs, {
      fields: ["@timestamp", "message", "error.name", "error.message", "offsets"],
      filterStatements: ['level = "ERROR"'],
      sort: "@timestamp desc",
      limit: 100,
    });
    this.#query("SweepSummaryQuery", "sweeps - summaries and failures", sweepLogs, {
      fields: [
        "@timestamp",
        "service",
        "message",
        "sweepId",
        "summary.records.produced",
        "summary.durationMs",
        "organizationId",
        "error.name",
        "error.message",
      ],
      filterStatements: [
        'message in ["sweep completed", "sweep failed", "sweep could not start", "organization sweep failed"]',
      ],
      sort: "@timestamp desc",
      limit: 200,
    });
  }

  #query(queryId: string, name: string, logGroups: logs.ILogGroup[], query: logs.QueryStringProps): void {
    this.queries.push(
      new logs.QueryDefinition(this, queryId, {
        queryDefinitionName: `Semaphore/${name}`,
        queryString: new logs.QueryString(query),
        logGroups,
      }),
    );
  }
}

function queryProps(query: KindQuery): logs.QueryStringProps {
  return {
    ...(query.fields ? { fields: [...query.fields] } : {}),
    ...(query.stats ? { statsStatements: [query.stats] } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.limit ? { limit: query.limit } : {}),
  };
}
