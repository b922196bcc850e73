/**
 * AWS failures said in the operator's terms: which resource or service, what went wrong, what to do.
 * The SDK's own messages ("getaddrinfo ENOTFOUND lambda.us-east-1.amazonaws.com", "Could not load
 * credentials from any providers") name neither the command's resource nor the fix.
 */
import { OpsError, type OpsContext } from './context';

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  hostname?: string;
}

function asAwsLike(error: unknown): AwsLikeError {
  return typeof error === 'object' && error !== null ? (error as AwsLikeError) : {};
}

/** An operator message for an AWS SDK failure, or undefined when the error is not one of these. */
export function describeAwsError(error: unknown, region: string | undefined): string | undefined {
  const e = asAwsLike(error);
  const where = region ? `region ${region}` : 'the default region (AWS_REGION / AWS_PROFILE unset?)';
  if (e.code === 'ENOTFOUND' || e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT') {
    return (
      `cannot reach ${e.hostname ?? 'the AWS endpoint'} (${e.code}): no network to AWS from here, or a ` +
      `wrong region/endpoint. Check the connection, --region / AWS_REGION (${where}).`
    );
  }
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return (
      'no AWS credentials found: set AWS_PROFILE (and run `aws sso login --profile <name>` for SSO), ' +
      'or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; see docs/runbook.md "Deploy".'
    );
  }
  if (e.name === 'AccessDeniedException' || e.name === 'AccessDenied' || e.name === 'UnauthorizedOperation') {
    return `AWS refused the call (${e.name}): ${e.message ?? ''}. Use a profile allowed to operate venue-sync.`;
  }
  if (e.name === 'ExpiredTokenException' || e.name === 'ExpiredToken') {
    return 'the AWS session expired: log in again (`aws sso login --profile <name>`).';
  }
  return undefined;
}

/**
 * Runs table reads, turning "no such table" and unreachable-endpoint failures into errors that name the
 * table and where it was looked for.
 */
export async function explainTableErrors<T>(ctx: OpsContext, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    const table = ctx.env.TABLE_NAME ?? '(none)';
    const where = ctx.env.AWS_ENDPOINT_URL_DYNAMODB
      ? `at ${ctx.env.AWS_ENDPOINT_URL_DYNAMODB}`
      : `in ${ctx.env.AWS_REGION ? `region ${ctx.env.AWS_REGION}` : 'the default region'}`;
    if (asAwsLike(error).name === 'ResourceNotFoundException') {
      throw new OpsError(
        `table '${table}' was not found ${where}: set TABLE_NAME (or --table-name) to the stack output ` +
          "'TableName' (aws cloudformation describe-stacks --stack-name VenueSync), and --region to the stack's region",
      );
    }
    const aws = describeAwsError(error, ctx.env.AWS_REGION);
    if (aws) throw new OpsError(`reading table '${table}' ${where}: ${aws}`);
    throw error;
  }
}
