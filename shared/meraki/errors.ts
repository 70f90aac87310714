// Every failure the Meraki client reports is a MerakiApiError subclass carrying where it happened
// (operation, path, organisation, network) and how hard we tried (attempts), so a sweep can log it
// as structured attributes, count it per organisation and carry on with the other organisations.
// Messages never contain the API key: it only ever travels in the Authorization header.

import { SemaphoreError } from "../errors.js";
import { MERAKI_API_SPEC_VERSION } from "./operation.js";

export interface MerakiErrorContext {
  /** operationId from the Dashboard API OpenAPI spec, e.g. "getOrganizationDevicesStatuses". */
  operationId: string;
  /** URL path of the failing request, without the query string. */
  path: string;
  organizationId?: string | undefined;
  networkId?: string | undefined;
  /** HTTP status of the last response; absent when no response arrived (network error, timeout). */
  status?: number | undefined;
  /** HTTP requests made for this call, the failing one included. */
  attempts: number;
  /** Short excerpt of Meraki's `{"errors": [...]}` body (or of the raw body when it is not that shape). */
  merakiErrors?: string | undefined;
  cause?: unknown;
}

export abstract class MerakiApiError extends SemaphoreError {
  readonly operationId: string;
  readonly path: string;
  readonly organizationId: string | undefined;
  readonly networkId: string | undefined;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly merakiErrors: string | undefined;
  /** Whether repeating the same call later (e.g. on the next schedule) may succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, context: MerakiErrorContext) {
    super(message, { cause: context.cause });
    this.operationId = context.operationId;
    this.path = context.path;
    this.organizationId = context.organizationId;
    this.networkId = context.networkId;
    this.status = context.status;
    this.attempts = context.attempts;
    this.merakiErrors = context.merakiErrors;
  }

  /** Flat attributes for a structured log line or metric dimensions. */
  toLogAttributes(): Record<string, string | number | boolean> {
    const attributes: Record<string, string | number | boolean> = {
      errorName: this.name,
      operationId: this.operationId,
      path: this.path,
      attempts: this.attempts,
      retryable: this.retryable,
    };
    if (this.organizationId !== undefined) attributes.organizationId = this.organizationId;
    if (this.networkId !== undefined) attributes.networkId = this.networkId;
    if (this.status !== undefined) attributes.status = this.status;
    if (this.merakiErrors !== undefined) attributes.merakiErrors = this.merakiErrors;
    return attributes;
  }
}

/** "getOrganizationDevices GET /api/v1/organizations/123/devices (organization 123, network N_1)" */
function where(context: MerakiErrorContext): string {
  const scope = [
    context.organizationId === undefined ? undefined : `organization ${context.organizationId}`,
    context.networkId === undefined ? undefined : `network ${context.networkId}`,
  ].filter((part) => part !== undefined);
  return `${context.operationId} GET ${context.path}${scope.length > 0 ? ` (${scope.join(", ")})` : ""}`;
}

function said(context: MerakiErrorContext): string {
  return context.merakiErrors === undefined ? "" : ` Meraki said: ${context.merakiErrors}.`;
}

function attemptsText(attempts: number): string {
  return `${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

/** 401: the key itself was refused. Retrying cannot help until someone fixes the secret. */
export class MerakiAuthError extends MerakiApiError {
  readonly retryable = false;
  constructor(context: MerakiErrorContext) {
    super(
      `Meraki rejected the API key (HTTP ${context.status ?? 401}) on ${where(context)}.${said(context)} ` +
        "Check the Meraki API key secret in Secrets Manager (is it current, not revoked?) and that the " +
        "key's administrator account has API access to this organization.",
      context,
    );
  }
}

/** A 4xx other than 401 and 429: the request itself is wrong, so it is never retried. */
export class MerakiRequestError extends MerakiApiError {
  readonly retryable: boolean = false;
  constructor(context: MerakiErrorContext, message?: string) {
    super(
      message ??
        `Meraki refused ${where(context)} with HTTP ${context.status}.${said(context)} ` +
          (context.status === 403
            ? "The API key lacks permission here or API access is disabled for this organization " +
              "(Organization > Settings > Dashboard API access); not retried."
            : "The request is invalid for this API version; check the parameters and the configured ids. Not retried."),
      context,
    );
  }
}

/** 404: Meraki answers this both for ids that do not exist and for ones the key may not see. */
export class MerakiNotFoundError extends MerakiRequestError {
  constructor(context: MerakiErrorContext) {
    super(
      context,
      `Meraki returned HTTP 404 for ${where(context)}: the organization or network does not exist or ` +
        `the API key has no access to it.${said(context)} Check the organization/network ids in the stack ` +
        "config and the key's organization access. Not retried.",
    );
  }
}

/** 429 on every attempt: the organisation's shared rate budget stayed exhausted. */
export class MerakiRateLimitError extends MerakiApiError {
  readonly retryable = true;
  constructor(context: MerakiErrorContext) {
    super(
      `Meraki kept answering HTTP 429 (rate limited) to ${where(context)} after ${attemptsText(context.attempts)}.${said(context)} ` +
        "Other applications probably share this organization's 10 requests/s budget; lower this " +
        "client's requests-per-second setting or spread the schedules. The next sweep will try again.",
      context,
    );
  }
}

/** 5xx on every attempt. */
export class MerakiServerError extends MerakiApiError {
  readonly retryable = true;
  constructor(context: MerakiErrorContext) {
    super(
      `Meraki answered ${where(context)} with HTTP ${context.status} after ${attemptsText(context.attempts)}.${said(context)} ` +
        "The Dashboard API is failing on its side (see https://status.meraki.net); the next sweep will try again.",
      context,
    );
  }
}

/** No usable response on every attempt: connection failure, timeout, or a truncated/unparsable body. */
export class MerakiNetworkError extends MerakiApiError {
  readonly retryable = true;
  constructor(context: MerakiErrorContext, reason: string) {
    super(
      `Could not get a complete response for ${where(context)} after ${attemptsText(context.attempts)}: ${reason}. ` +
        "Check outbound network access to the Meraki API host (VPC/NAT, DNS, proxy) and the request timeout setting.",
      context,
    );
  }
}

/**
 * A 2xx whose content breaks the contract (not the documented shape, a pagination link that loops
 * or leaves the Meraki host). Repeating the call would return the same thing, so it is not retried.
 */
export class MerakiUnexpectedResponseError extends MerakiApiError {
  readonly retryable = false;
  constructor(context: MerakiErrorContext, problem: string) {
    super(
      `Meraki's response to ${where(context)} was not usable: ${problem}. ` +
        `This client follows Dashboard API v1 (spec ${MERAKI_API_SPEC_VERSION}); the API or a proxy in between may have changed.`,
      context,
    );
  }
}
