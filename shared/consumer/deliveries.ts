// Which records the consumer has already written, across batches: one DynamoDB item per record id,
// written with a conditional put, so that a record a retried sweep produces again (the same id) is
// written and counted once however far apart the two copies arrive.

import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  type DynamoDBClientConfig,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DeliveriesUnavailableError, describeLocation, type RecordLocation } from "./errors.js";

/** A record the consumer is about to write: its id, and where in Kafka this copy of it is. */
export interface DeliveryClaim {
  recordId: string;
  location: RecordLocation;
}

/**
 * The first delivery of its id (this copy is the one that counts: nothing claimed the id yet, or
 * this very copy did in an earlier attempt of the same batch), or a repeat of a copy first
 * delivered elsewhere (`topic-partition@offset`).
 */
export type DeliveryVerdict = { first: true } | { first: false; firstDeliveredAt: string };

export interface DeliveryLedger {
  /** One verdict per claim, in order; throws DeliveriesUnavailableError when it cannot tell. */
  claim(claims: readonly DeliveryClaim[], now: Date): Promise<DeliveryVerdict[]>;
}

export interface DynamoDbDeliveryLedgerOptions {
  tableName: string;
  /** How long an id is remembered after its first delivery (the table's TTL). */
  rememberDays: number;
  client?: DynamoDBClient;
  clientOptions?: DynamoDBClientConfig;
  /** Puts in flight at once. */
  concurrency?: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_CONCURRENCY = 32;

/**
 * The ledger in a DynamoDB table keyed `pk` = record id: `firstAt` says where the id was first
 * delivered and `expiresAt` (epoch seconds) is the table's TTL attribute. A claim is a PutItem
 * that succeeds only when the id is new, expired (TTL deletes lazily), or already claimed by this
 * same Kafka record: a batch the event source mapping retries after a failure claims its own
 * records again, so their telemetry (not published by the failed attempt) still counts once.
 */
export class DynamoDbDeliveryLedger implements DeliveryLedger {
  /** Exactly the action claim() sends. */
  static readonly ACTIONS = ["dynamodb:PutItem"] as const;
  /** The table's key and TTL attribute, for the stack and the local runtime that create it. */
  static readonly KEY = "pk";
  static readonly TTL_ATTRIBUTE = "expiresAt";

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #rememberMs: number;
  readonly #concurrency: number;

  constructor(options: DynamoDbDeliveryLedgerOptions) {
    this.#client = options.client ?? new DynamoDBClient(options.clientOptions ?? {});
    this.#tableName = options.tableName;
    this.#rememberMs = options.rememberDays * DAY_MS;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  async claim(claims: readonly DeliveryClaim[], now: Date): Promise<DeliveryVerdict[]> {
    const verdicts: DeliveryVerdict[] = new Array(claims.length);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const expiresAt = String(Math.floor((now.getTime() + this.#rememberMs) / 1000));
    let next = 0;
    const worker = async () => {
      while (next < claims.length) {
        const index = next++;
        verdicts[index] = await this.#claimOne(claims[index]!, nowSeconds, expiresAt);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, claims.length) }, worker));
    return verdicts;
  }

  async #claimOne(claim: DeliveryClaim, nowSeconds: number, expiresAt: string): Promise<DeliveryVerdict> {
    const at = describeLocation(claim.location);
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { pk: { S: claim.recordId }, firstAt: { S: at }, expiresAt: { N: expiresAt } },
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now OR firstAt = :at",
          ExpressionAttributeValues: { ":now": { N: String(nowSeconds) }, ":at": { S: at } },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { first: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { first: false, firstDeliveredAt: error.Item?.firstAt?.S ?? "unknown" };
      }
      throw new DeliveriesUnavailableError(this.#tableName, at, error);
    }
  }
}
