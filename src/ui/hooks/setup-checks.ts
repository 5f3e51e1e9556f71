// What the setup wizard checks before it saves: the source folders hold JSON,
// the AWS identity resolves, the cluster or workgroup exists, the manifest
// prefix (when set) answers a listing, the warehouse answers `select 1`. Each
// failure says what to do next.
import { existsSync, readFileSync } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SparkifyConfig } from '../../pipeline/config.js';
import { CredentialsError, SparkifyError } from '../../pipeline/errors.js';
import { translateAwsError } from '../../pipeline/provision/aws.js';
import { manifestLocation } from '../../pipeline/provision/role.js';
import { jsonKeyword } from '../../pipeline/sql/json-format.js';
import type { S3Access } from '../../pipeline/s3/client.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

/** True when `dir` holds a `.json` file at any depth; stops at the first one. */
async function holdsJson(dir: string): Promise<boolean> {
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for await (const entry of await opendir(current)) {
      if (entry.isFile() && entry.name.endsWith('.json')) return true;
      if (entry.isDirectory()) pending.push(join(current, entry.name));
    }
  }
  return false;
}

export async function checkSourceFolder(name: string, path: string | undefined): Promise<CheckResult> {
  if (!path) return { name, ok: false, detail: 'no folder given', hint: 'go back (Esc) and enter the folder' };
  if (path.startsWith('s3://')) return { name, ok: true, detail: `${path} (read by Redshift at load time)` };
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    return { name, ok: false, detail: `${path} does not exist`, hint: 'go back (Esc) and enter an existing folder' };
  }
  if (!isDirectory) return { name, ok: false, detail: `${path} is not a folder`, hint: 'enter the folder that holds the .json files' };
  if (!(await holdsJson(path))) {
    return { name, ok: false, detail: `${path} holds no .json files`, hint: 'point at the folder with the data, or generate sample data' };
  }
  return { name, ok: true, detail: path };
}

export function checkFile(name: string, path: string | undefined): CheckResult {
  if (!path) return { name, ok: true, detail: "none ('auto ignorecase')" };
  if (jsonKeyword(path)) return { name, ok: true, detail: `'${jsonKeyword(path)}' (keys matched by name)` };
  if (path.startsWith('s3://')) return { name, ok: true, detail: path };
  return existsSync(path)
    ? { name, ok: true, detail: path }
    : { name, ok: false, detail: `${path} does not exist`, hint: 'go back (Esc) and fix the path, or leave it empty' };
}

/** Where the AWS SDK sends STS calls when an endpoint override is set (how the tests and local fakes are reached). */
function stsEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined;
}

/** Resolves who the AWS credentials belong to (STS GetCallerIdentity). */
export async function checkAwsIdentity(region: string | undefined, profile: string | undefined, signal?: AbortSignal): Promise<CheckResult> {
  const name = 'AWS identity';
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const client = new STSClient({ region: region || undefined, profile: profile || undefined, maxAttempts: 2 });
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    // The ARN names the account already.
    return { name, ok: true, detail: identity.Arn ?? `account ${identity.Account ?? 'unknown'}` };
  } catch (error) {
    const translated = translateAwsError(error, 'sts:GetCallerIdentity', { region: region ?? 'us-east-1', profile });
    const endpoint = stsEndpoint();
    let hint: string;
    if (translated instanceof CredentialsError) {
      hint = profile
        ? `sign in for the profile "${profile}" (aws sso login --profile ${profile}, or aws configure), or go back to choose other credentials`
        : 'set credentials (aws configure, aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or go back to choose a profile';
    } else if (/^cannot reach AWS/.test(translated.message)) {
      hint = endpoint
        ? `AWS_ENDPOINT_URL is ${endpoint}: start what should answer there, or unset it to reach AWS`
        : 'check the network, and the region (go back to change it)';
    } else {
      hint = translated.hint ?? 'check the region and the credentials (go back to change them)';
    }
    return { name, ok: false, detail: translated.message, hint };
  } finally {
    client.destroy();
  }
}

export async function checkConnection(name: string, probe: () => Promise<void>): Promise<CheckResult> {
  try {
    await probe();
    return { name, ok: true, detail: 'select 1 answered' };
  } catch (error) {
    const hint = error instanceof SparkifyError ? error.hint : undefined;
    return { name, ok: false, detail: (error as Error).message, hint: hint ?? 'check the settings (Esc goes back), then retry' };
  }
}

/** Section names of an INI file: `[name]`, or `[profile name]` in the config file. */
export function iniProfileNames(text: string, configFile: boolean): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/);
    if (!match) continue;
    const section = match[1];
    if (section === 'default') names.push(section);
    else if (configFile) {
      const profile = section.match(/^profile\s+(.+)$/);
      if (profile) names.push(profile[1].trim());
    } else names.push(section);
  }
  return names;
}

/** Profiles named in the user's AWS config and credentials files, in file order, each once. */
export function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const configFile = env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
  return [...new Set([...iniProfileNames(read(configFile), true), ...iniProfileNames(read(credentialsFile), false)])];
}

/** The cluster or workgroup named in the config exists where it says, before `select 1` is tried on it. */
export async function checkWarehouseExists(config: SparkifyConfig, signal?: AbortSignal): Promise<CheckResult> {
  const { region = 'us-east-1', profile, clusterIdentifier, workgroupName } = config.redshift;
  const scope = { region, profile };
  try {
    if (clusterIdentifier) {
      const { findCluster } = await import('../../pipeline/provision/cluster.js');
      const cluster = await findCluster({ ...scope, identifier: clusterIdentifier.toLowerCase() }, signal);
      if (cluster.status === 'gone') return missing('cluster', clusterIdentifier, region);
      return { name: 'cluster', ok: true, detail: `${cluster.identifier} is ${cluster.status} (${cluster.nodes ?? '?'} × ${cluster.nodeType ?? '?'})` };
    }
    if (workgroupName) {
      const { findServerless } = await import('../../pipeline/provision/serverless.js');
      const workgroup = await findServerless({ ...scope, workgroup: workgroupName, namespace: workgroupName }, signal);
      if (workgroup.status === 'gone') return missing('workgroup', workgroupName, region);
      return { name: 'workgroup', ok: true, detail: `${workgroup.workgroup} is ${workgroup.status} (${workgroup.baseCapacity ?? '?'} RPU)` };
    }
    return { name: 'warehouse', ok: false, detail: 'no cluster or workgroup named', hint: 'go back (Esc) and choose one' };
  } catch (error) {
    const hint = error instanceof SparkifyError ? error.hint : undefined;
    return { name: clusterIdentifier ? 'cluster' : 'workgroup', ok: false, detail: (error as Error).message, hint: hint ?? 'check the region and the credentials (Esc goes back)' };
  }
}

/** redshift.manifestPrefix, when set: an s3:// location whose bucket answers a listing under it. */
export async function checkManifestPrefix(config: SparkifyConfig, signal?: AbortSignal): Promise<CheckResult> {
  const name = 'manifest prefix';
  const uri = config.redshift.manifestPrefix;
  if (!uri) return { name, ok: true, detail: 'none (incremental runs on Redshift need one)' };
  let s3: S3Access | undefined;
  try {
    const { bucket, prefix } = manifestLocation(uri);
    const { openS3 } = await import('../../pipeline/s3/client.js');
    s3 = await openS3({ region: config.sources.sourceRegion ?? config.redshift.region, profile: config.redshift.profile });
    const found = await s3.list(bucket, prefix, signal);
    return { name, ok: true, detail: `s3://${bucket}/${prefix} (${found.length} object${found.length === 1 ? '' : 's'} there)` };
  } catch (error) {
    const hint = error instanceof SparkifyError ? error.hint : undefined;
    return { name, ok: false, detail: (error as Error).message, hint: hint ?? 'set redshift.manifestPrefix to s3://a-bucket-you-can-write/prefix/ in the config' };
  } finally {
    s3?.close();
  }
}

function missing(kind: 'cluster' | 'workgroup', name: string, region: string): CheckResult {
  return {
    name: kind,
    ok: false,
    detail: `no ${kind} ${name} in ${region} for these credentials`,
    hint: 'go back (Esc) to pick one from the list, or check the name, the region and the credentials',
  };
}
