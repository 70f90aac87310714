import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";

/**
 * The DynamoDB table through which every sweep function shares one Meraki request budget per
 * organisation (shared/meraki/shared-budget.ts): one item per organisation under the string key
 * `pk`, read with GetItem and changed with conditional UpdateItem, nothing else. The local runtime
 * creates the same table on moto (infra/local/dynamodb/budget-table.ts).
 */
export class BudgetTable extends Construct {
  /** Exactly the actions shared-budget.ts sends. */
  static readonly ACTIONS = ["dynamodb:GetItem", "dynamodb:UpdateItem"] as const;

  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Only transient rate state (a theoretical arrival time, the current rate, a version) that
      // the first sweep after a loss writes again from the configured rate: nothing to keep when the
      // stack goes, and nothing a backup would restore.
      removalPolicy: RemovalPolicy.DESTROY,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
    });
    Validations.of(this.table).acknowledge({
      id: "AwsSolutions-DDB3",
      reason:
        "Holds only the shared Meraki rate-limit state of the last seconds, rebuilt from the stack config by the " +
        "next sweep when lost; a point-in-time restore of it would bring back a stale rate, never data.",
    });
  }

  /** Lets a sweep function take from the budget: the two actions, on this table only. */
  grantBudget(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...BudgetTable.ACTIONS], resources: [this.table.tableArn] }),
    );
  }
}
