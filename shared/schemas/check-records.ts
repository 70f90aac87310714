import type * as z from "zod";
import type { TelemetryRecord } from "../kafka/record.js";
import { compiledSchema } from "./compiled.js";
import { describeIssues, type SchemaViolation, violationOf } from "./violations.js";

/** A record a sweep built that its kind's schema refuses: not produced, counted by its violation. */
export interface RefusedRecord {
  topic: string;
  key: string;
  recordId: string;
  violation: SchemaViolation;
  /** The first problems, `path: message`. */
  detail: string;
}

export interface CheckedRecords {
  valid: TelemetryRecord[];
  refused: RefusedRecord[];
}

/**
 * The producer side of the schema: every record a sweep built is parsed back from the exact bytes
 * it would produce and validated against its kind's envelope, the definition the consumer parses
 * with, so a record that the consumer would reject never reaches Kafka. Such a record comes from
 * an API value outside what the kind accepts (a loss above 100 %, a negative count, an empty id);
 * it is left out and reported, the others go on.
 */
export function checkRecords(envelope: z.ZodType, records: readonly TelemetryRecord[]): CheckedRecords {
  const valid: TelemetryRecord[] = [];
  const refused: RefusedRecord[] = [];
  const schema = compiledSchema(envelope);
  for (const record of records) {
    const parsed = schema.safeParse(JSON.parse(record.value));
    if (parsed.success) {
      valid.push(record);
      continue;
    }
    refused.push({
      topic: record.topic,
      key: record.key,
      recordId: record.headers["record-id"] ?? "",
      violation: violationOf(parsed.error.issues),
      detail: describeIssues(parsed.error.issues),
    });
  }
  return { valid, refused };
}
