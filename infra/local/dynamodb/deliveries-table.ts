// The consumer's deliveries table on the local DynamoDB endpoint (moto): what the stack creates in
// AWS (infra/constructs/deliveries-table.ts), for npm start and the tests.

import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { DynamoDbDeliveryLedger } from "../../../shared/consumer/deliveries.js";

/** The table's name on the local runtime's moto server (in AWS, CloudFormation names it). */
export const LOCAL_DELIVERIES_TABLE = "semaphore-consumer-deliveries";

/** Creates the table unless it exists: one item per record id, keyed by `pk`. */
export async function createDeliveriesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: DynamoDbDeliveryLedger.KEY, AttributeType: "S" }],
        KeySchema: [{ AttributeName: DynamoDbDeliveryLedger.KEY, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}
