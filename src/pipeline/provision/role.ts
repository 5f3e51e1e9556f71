// The IAM role Redshift assumes to COPY the source files. Least privilege:
// s3:GetObject on the source prefixes and s3:ListBucket on their buckets
// (limited to those prefixes), nothing else. The original project attached
// AmazonS3ReadOnlyAccess, which reads every bucket in the account.
import type { SourceSettings } from '../config.js';
import { AwsError, UsageError } from '../errors.js';
import { type AwsScope, awsCall, awsClients, awsErrorCode, translateAwsError } from './aws.js';
import { COURSE_SOURCES, courseSourceRegion } from './defaults.js';
import { jsonKeyword } from '../sql/json-format.js';

export interface S3Location {
  bucket: string;
  /** Key prefix; '' = the whole bucket. */
  prefix: string;
  /** Where incremental runs write COPY manifests: read by exact key, never listed. */
  manifests?: boolean;
}

export const SOURCE_POLICY_NAME = 'sparkify-source-read';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    Action: string | string[];
    Resource?: string | string[];
    Principal?: { Service: string | string[] };
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/prefix`, `bucket/prefix` or `bucket` → bucket and prefix. */
export function parseS3Location(text: string): S3Location {
  const trimmed = text.trim().replace(/^s3:\/\//i, '');
  const slash = trimmed.indexOf('/');
  const bucket = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const prefix = slash === -1 ? '' : trimmed.slice(slash + 1);
  if (!BUCKET.test(bucket)) throw new UsageError(`not an S3 bucket or s3:// location: ${text}`, 'write it as s3://bucket/prefix');
  return { bucket, prefix };
}

export function isS3Uri(text: string | undefined): text is string {
  return typeof text === 'string' && /^s3:\/\//i.test(text.trim());
}

/** Default role name for a cluster or workgroup (IAM allows 64 characters); `sparkify-` only once. */
export function defaultRoleName(identifier: string): string {
  const base = identifier.startsWith('sparkify-') ? identifier : `sparkify-${identifier}`;
  return `${base}-s3-read`.slice(0, 64);
}

export function trustPolicy(services: string[] = ['redshift.amazonaws.com']): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: services.length === 1 ? services[0] : services },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * Read access to exactly the given locations: objects under each prefix,
 * listing limited to those prefixes; the manifest prefix is read object by
 * object (COPY names each manifest), so it gets no listing.
 */
export function sourceReadPolicy(locations: S3Location[]): PolicyDocument {
  const sources = locations.filter((l) => !l.manifests);
  if (sources.length === 0) throw new UsageError('no source locations to grant read access to');
  const objects = unique(sources.map((l) => `arn:aws:s3:::${l.bucket}/${l.prefix}*`));
  const buckets = unique(sources.map((l) => l.bucket));
  const statements: PolicyDocument['Statement'] = [
    { Sid: 'ReadSourceObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
  ];
  buckets.forEach((bucket, index) => {
    const prefixes = unique(sources.filter((l) => l.bucket === bucket).map((l) => l.prefix));
    const wholeBucket = prefixes.includes('');
    statements.push({
      Sid: `ListSourcePrefixes${index + 1}`,
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${bucket}`,
      ...(wholeBucket ? {} : { Condition: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }),
    });
  });
  const manifests = unique(locations.filter((l) => l.manifests).map((l) => `arn:aws:s3:::${l.bucket}/${l.prefix}*`));
  if (manifests.length > 0) statements.push({ Sid: 'ReadCopyManifests', Effect: 'Allow', Action: 's3:GetObject', Resource: manifests });
  return { Version: '2012-10-17', Statement: statements };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * The sources a new cluster reads: flags first, then S3 sources already in the
 * config, else the course bucket. Local folders in the config do not count
 * (a cluster cannot read them). Given the cluster's region, the course
 * bucket's own region is recorded when they differ (COPY ... REGION).
 */
export function resolveS3Sources(
  flags: Partial<Pick<SourceSettings, 'songData' | 'logData' | 'logJsonpaths' | 'sourceRegion'>>,
  config: SourceSettings,
  clusterRegion?: string,
): SourceSettings {
  const pick = (key: 'songData' | 'logData' | 'logJsonpaths'): string | undefined => {
    const flag = flags[key];
    // 'auto' and 'auto ignorecase' are COPY's own words, not a place on S3.
    if (key === 'logJsonpaths' && jsonKeyword(flag ?? config[key])) return jsonKeyword(flag ?? config[key]);
    if (flag !== undefined) {
      const given: string = flag;
      if (!isS3Uri(flag)) throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} must be an s3:// location for a cluster: ${given}`);
      return flag;
    }
    return isS3Uri(config[key]) ? config[key] : undefined;
  };
  const songData = pick('songData');
  const logData = pick('logData');
  const logJsonpaths = pick('logJsonpaths');
  const sources: SourceSettings =
    songData === undefined && logData === undefined
      ? { ...COURSE_SOURCES }
      : { songData: songData ?? COURSE_SOURCES.songData, logData: logData ?? COURSE_SOURCES.logData, logJsonpaths };
  const sourceRegion =
    flags.sourceRegion ?? (isS3Uri(config.songData) ? config.sourceRegion : undefined) ?? courseSourceRegion(sources, clusterRegion);
  if (sourceRegion) sources.sourceRegion = sourceRegion;
  return sources;
}

/** The locations a cluster's role reads: the sources, any extra ones, and the manifest prefix (redshift.manifestPrefix). */
export function sourceLocations(sources: SourceSettings, extra: string[] = [], manifestPrefix?: string): S3Location[] {
  const jsonpaths = jsonKeyword(sources.logJsonpaths) ? undefined : sources.logJsonpaths;
  const locations = [sources.songData, sources.logData, jsonpaths, ...extra].filter((s): s is string => s !== undefined && s !== '').map(parseS3Location);
  if (manifestPrefix) locations.push({ ...manifestLocation(manifestPrefix), manifests: true });
  return locations;
}

/** redshift.manifestPrefix as a location: an s3:// URI, read as a folder (a trailing `/` is added). */
export function manifestLocation(uri: string): S3Location {
  const given = uri;
  if (!isS3Uri(uri)) {
    throw new UsageError(`the manifest prefix must be an s3:// location: ${given}`, 'write it as s3://your-bucket/sparkify/manifests/ (redshift.manifestPrefix, or --manifest-prefix)');
  }
  const location = parseS3Location(uri);
  return { bucket: location.bucket, prefix: location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/` };
}

export interface RoleInfo {
  name: string;
  arn: string;
  /** True when this call created it; false when an existing role was reused. */
  created: boolean;
}

export interface RoleProgress {
  step: 'role' | 'policy';
  outcome: 'created' | 'reused' | 'updated';
  detail: string;
}

/** Gets or creates the role, then (re)writes its inline source-read policy. Safe to run again after any failure. */
export function ensureSourceRole(
  scope: AwsScope,
  options: { roleName: string; locations: S3Location[]; trustedServices?: string[]; signal?: AbortSignal; onProgress?: (p: RoleProgress) => void },
): Promise<RoleInfo> {
  return ensureRole(scope, {
    ...options,
    trustedServices: options.trustedServices ?? ['redshift.amazonaws.com'],
    description: 'Lets Redshift read the Sparkify source files (created by sparkify)',
    policyName: SOURCE_POLICY_NAME,
    policy: sourceReadPolicy(options.locations),
    policyDetail: `read ${options.locations.map((l) => `s3://${l.bucket}/${l.prefix}${l.manifests ? ' (manifests)' : ''}`).join(', ')}`,
  });
}

/** Gets or creates a role the given services may assume, then (re)writes its one inline policy. */
export async function ensureRole(
  scope: AwsScope,
  options: {
    roleName: string;
    trustedServices: string[];
    description: string;
    policyName: string;
    policy: PolicyDocument;
    /** What the policy allows, in words, for the progress line. */
    policyDetail: string;
    signal?: AbortSignal;
    onProgress?: (p: RoleProgress) => void;
  },
): Promise<RoleInfo> {
  const iam = await awsClients(scope).iam();
  const { GetRoleCommand, CreateRoleCommand, PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
  const trusted = options.trustedServices;
  const abortSignal = options.signal;
  let role: RoleInfo | undefined;

  try {
    const existing = await iam.send(new GetRoleCommand({ RoleName: options.roleName }), { abortSignal });
    const trust = decodeURIComponent(existing.Role?.AssumeRolePolicyDocument ?? '');
    if (!trust.includes(`"${trusted[0]}"`)) {
      throw new AwsError(
        `the IAM role ${options.roleName} exists but ${trusted[0]} cannot assume it (its trust policy does not name that service)`,
        'choose another role name with --role-name',
      );
    }
    role = { name: options.roleName, arn: existing.Role?.Arn ?? '', created: false };
    options.onProgress?.({ step: 'role', outcome: 'reused', detail: role.arn });
  } catch (error) {
    if (awsErrorCode(error) !== 'NoSuchEntity') throw translateAwsError(error, 'iam:GetRole', scope);
  }

  if (!role) {
    try {
      const created = await iam.send(
        new CreateRoleCommand({
          RoleName: options.roleName,
          AssumeRolePolicyDocument: JSON.stringify(trustPolicy(trusted)),
          Description: options.description,
          Tags: [{ Key: 'created-by', Value: 'sparkify' }],
        }),
        { abortSignal },
      );
      role = { name: options.roleName, arn: created.Role?.Arn ?? '', created: true };
      options.onProgress?.({ step: 'role', outcome: 'created', detail: role.arn });
    } catch (error) {
      if (awsErrorCode(error) !== 'EntityAlreadyExists') throw translateAwsError(error, 'iam:CreateRole', scope);
      const again = await awsCall('iam:GetRole', scope, () => iam.send(new GetRoleCommand({ RoleName: options.roleName }), { abortSignal }));
      role = { name: options.roleName, arn: again.Role?.Arn ?? '', created: false };
      options.onProgress?.({ step: 'role', outcome: 'reused', detail: role.arn });
    }
  }

  await awsCall('iam:PutRolePolicy', scope, () =>
    iam.send(
      new PutRolePolicyCommand({ RoleName: options.roleName, PolicyName: options.policyName, PolicyDocument: JSON.stringify(options.policy) }),
      { abortSignal },
    ),
  );
  options.onProgress?.({ step: 'policy', outcome: 'updated', detail: `${options.policyName}: ${options.policyDetail}` });
  return role;
}

export interface RoleRemoval {
  roleName: string;
  /** False when there was no such role. */
  existed: boolean;
  inlinePolicies: string[];
  detachedPolicies: string[];
}

/** Deletes the role: inline policies, attached policies, then the role itself (IAM refuses it in any other order). */
export async function deleteSourceRole(scope: AwsScope, roleName: string, signal?: AbortSignal): Promise<RoleRemoval> {
  const iam = await awsClients(scope).iam();
  const sdk = await import('@aws-sdk/client-iam');
  const options = { abortSignal: signal };
  const removal: RoleRemoval = { roleName, existed: true, inlinePolicies: [], detachedPolicies: [] };
  let action = 'iam:ListRolePolicies';
  try {
    const inline = await iam.send(new sdk.ListRolePoliciesCommand({ RoleName: roleName }), options);
    action = 'iam:DeleteRolePolicy';
    for (const policyName of inline.PolicyNames ?? []) {
      await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }), options);
      removal.inlinePolicies.push(policyName);
    }
    action = 'iam:ListAttachedRolePolicies';
    const attached = await iam.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: roleName }), options);
    action = 'iam:DetachRolePolicy';
    for (const policy of attached.AttachedPolicies ?? []) {
      await iam.send(new sdk.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn }), options);
      if (policy.PolicyArn) removal.detachedPolicies.push(policy.PolicyArn);
    }
    action = 'iam:DeleteRole';
    await iam.send(new sdk.DeleteRoleCommand({ RoleName: roleName }), options);
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchEntity' && action === 'iam:ListRolePolicies') return { ...removal, existed: false };
    throw translateAwsError(error, action, scope);
  }
  return removal;
}

/** The role's inline source policy as IAM holds it (IAM returns documents URL-encoded). */
export async function readSourcePolicy(scope: AwsScope, roleName: string): Promise<PolicyDocument | undefined> {
  const iam = await awsClients(scope).iam();
  const { GetRolePolicyCommand } = await import('@aws-sdk/client-iam');
  try {
    const result = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: SOURCE_POLICY_NAME }));
    return JSON.parse(decodeURIComponent(result.PolicyDocument ?? '')) as PolicyDocument;
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchEntity') return undefined;
    throw translateAwsError(error, 'iam:GetRolePolicy', scope);
  }
}
