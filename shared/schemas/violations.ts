import type * as z from "zod";
import type { RangeViolation, ViolationParams } from "./envelope.js";

/**
 * Why a value is not a valid envelope of its schema, in the words both sides use: the consumer's
 * rejection reason (shared/consumer/rejection.ts) and the sweeps' drop reason
 * (shared/schemas/check-records.ts).
 *
 * - `invalid-envelope`: the shape is wrong (a field missing or of another type, a malformed id or
 *   instant);
 * - `value-out-of-range`: a number outside its range (a percentage above 100, a negative latency)
 *   or a count that is not an integer;
 * - `empty-field`: an id or another field that must not be empty is the empty string;
 * - `inverted-window`: a window or interval whose start is not before its end.
 */
export type SchemaViolation = "invalid-envelope" | RangeViolation;

const ISSUES_SHOWN = 3;

/** What a validation failure is, by its first issue (zod reports them in the schema's field order). */
export function violationOf(issues: readonly z.core.$ZodIssue[]): SchemaViolation {
  const issue = issues[0];
  if (issue === undefined) return "invalid-envelope";
  switch (issue.code) {
    case "custom": {
      const params = issue.params as Partial<ViolationParams> | undefined;
      return params?.violation ?? "invalid-envelope";
    }
    case "too_small":
    case "too_big":
      if (issue.origin === "number" || issue.origin === "int") return "value-out-of-range";
      if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) {
        return "empty-field";
      }
      return "invalid-envelope";
    case "invalid_type":
      // z.number().int() given a fraction: a number, only not a whole one.
      return issue.expected === "int" ? "value-out-of-range" : "invalid-envelope";
    default:
      return "invalid-envelope";
  }
}

/** The first three problems, `path: message`, and how many more there are. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues
    .slice(0, ISSUES_SHOWN)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  return issues.length > ISSUES_SHOWN ? `${shown} (+${issues.length - ISSUES_SHOWN} more)` : shown;
}
