import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../shared/reconciliation/table-schema';

/**
 * The partitions (values of `pk`) each function may touch. IAM enforces them with `dynamodb:LeadingKeys`,
 * so a venue's poller cannot read or write another venue's ledger even with a bug in the code.
 * They spell the same keys as shared/reconciliation/keys.ts (lib/ may not import it; a test compares).
 *
 * `BUDGET#hubspot#<portal>` is a deviation from docs/design.md section 4: the HubSpot daily / 10-second call
 * budget is shared by every function of the portal, so it lives in its own partition (items
 * `WINDOW#...` / `DAY#...`) that every function draws from.
 */
export const TablePartitions = {
  /** The shared HubSpot call budget, any portal. */
  hubSpotBudget: 'BUDGET#hubspot#*',
  /** A venue's ledger, lease and checkpoint. */
  venue: (venueId: string) => `VENUE#${venueId}`,
  /** Records of a venue that cannot be synced (`QUARANTINE#<source>`, source `venue:<id>`). */
  venueQuarantine: (venueId: string) => `QUARANTINE#venue:${venueId}`,
  /** Every Webex event's person map and cursor. */
  webex: 'WEBEX#*',
  /** Webex records that cannot be synced. */
  webexQuarantine: 'QUARANTINE#webex',
} as const;

/** The item-level actions a sync function needs. No Scan: a Scan has no leading key to check. */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export interface ReconciliationTableProps {
  /**
   * Customer managed key to encrypt the table with.
   * @default - the AWS managed key `aws/dynamodb`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the table when it leaves the stack. The ledger is the proof of what was synced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The single reconciliation table (docs/design.md section 4): `pk`/`sk` + GSI `gsi1`, on-demand, point-in-time
 * recovery, encrypted, TTL on `expiresAt` (a cost optimisation only; the code checks expiry itself),
 * deletion protection, retained on stack deletion.
 */
export class ReconciliationTable extends Construct {
  /** Name of the TTL attribute (epoch seconds). */
  static readonly TTL_ATTRIBUTE = 'expiresAt';

  readonly table: dynamodb.Table;
  private readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ReconciliationTableProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: ReconciliationTable.TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi.name,
      partitionKey: { name: TABLE_KEYS.gsi.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * Grants item access limited to the given partitions (`StringLike` patterns of `pk`). No access to
   * `gsi1`: it indexes every record of a contact across venues (`CONTACT#<id>`), which is for operators
   * (`venue-sync status`), never for one venue's function. KMS use is granted only with a customer key.
   */
  grantPartitions(grantee: iam.IGrantable, partitions: readonly string[]): void {
    if (partitions.length === 0) throw new Error('grantPartitions needs at least one partition');
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReconciliationTableOwnPartitionsOnly',
        actions: ITEM_ACTIONS,
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] },
          // ForAllValues is true when the key is absent; require it so no request goes unchecked.
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
    if (this.encryptionKey) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReconciliationTableKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [this.encryptionKey.keyArn],
        }),
      );
    }
  }
}
