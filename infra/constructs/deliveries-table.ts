import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { DynamoDbDeliveryLedger } from "../../shared/consumer/deliveries.js";

/**
 * The DynamoDB table of the records the consumer has written (shared/consumer/deliveries.ts): one
 * item per record id under the string key `pk`, written with a conditional PutItem and deleted by
 * its TTL attribute `expiresAt` (`consumer.rememberDeliveriesDays` after the first delivery). The
 * consumer writes one item per record it accepts: at the on-demand price, one write request unit
 * per record. The local runtime and the tests create the same table on moto.
 */
export class DeliveriesTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: DynamoDbDeliveryLedger.KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DynamoDbDeliveryLedger.TTL_ATTRIBUTE,
      // Only which record ids were written lately: losing it means at most that a repeat arriving
      // within the next days is written once more, never that telemetry is lost.
      removalPolicy: RemovalPolicy.DESTROY,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
    });
    Validations.of(this.table).acknowledge({
      id: "AwsSolutions-DDB3",
      reason:
        "Holds only the ids of recently written records, each expiring after days; a point-in-time restore would " +
        "bring back ids, never telemetry.",
    });
  }

  /** Lets the consumer claim record ids: PutItem only, on this table only. */
  grantClaims(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...DynamoDbDeliveryLedger.ACTIONS],
        resources: [this.table.tableArn],
      }),
    );
  }
}
