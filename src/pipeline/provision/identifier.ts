// Redshift's rule for cluster identifiers and the form of an IAM role ARN, in a module of its own so the
// config import can check one without loading the AWS clients.
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;

/** 1-63 lower-case letters, digits and single hyphens, starting with a letter, not ending with a hyphen. */
export function isClusterIdentifier(identifier: string): boolean {
  return IDENTIFIER.test(identifier) && !identifier.endsWith('-');
}

export const CLUSTER_IDENTIFIER_RULE = 'use 1-63 lower-case letters, digits and single hyphens, starting with a letter (e.g. sparkify-dwh)';

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** An IAM role ARN in any partition: arn:aws:iam::<12-digit account>:role/<path and name>. */
export function isIamRoleArn(value: string): boolean {
  return IAM_ROLE_ARN.test(value);
}

export const IAM_ROLE_ARN_RULE = 'not an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>';

/**
 * The role ARN in a namespace's iamRoles entry: a plain ARN, or the form the
 * service has been seen to answer with, `IamRole(applyStatus=in-sync, iamRoleArn=arn:...)`.
 */
export function roleArnOf(entry: string): string {
  return /arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+/.exec(entry)?.[0] ?? entry;
}
