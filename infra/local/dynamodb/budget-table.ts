// The Meraki budget table on the local DynamoDB endpoint (moto): what the stack creates in AWS
// (infra/constructs/budget-table.ts), for npm start and the tests.

import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/** The table's name on the local runtime's moto server (in AWS, CloudFormation names it). */
export const LOCAL_BUDGET_TABLE = "semaphore-meraki-budget";

/** Any static credentials satisfy moto; real AWS uses the default provider chain instead. */
export function localDynamoDbClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Creates the table unless it exists: one item per organisation, keyed by `pk`. */
export async function createBudgetTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

/** One organisation's budget item as the sweeps left it: its key, current rate and how often it was written. */
export interface BudgetItem {
  pk: string;
  ratePerSecond: number;
  writes: number;
}

/** Every item of the table, for the local runtime's report of what the sweeps shared. */
export async function budgetItems(client: DynamoDBClient, tableName: string): Promise<BudgetItem[]> {
  const items: BudgetItem[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      items.push({
        pk: item.pk?.S ?? "",
        ratePerSecond: Number(item.rate?.N ?? Number.NaN),
        // Every write of the shared state adds one.
        writes: Number(item.writes?.N ?? 0),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.sort((a, b) => a.pk.localeCompare(b.pk));
}
