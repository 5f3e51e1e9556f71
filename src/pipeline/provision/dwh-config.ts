// Import of the original project's dwh.cfg / redshift.cfg (INI read by Python's
// configparser) into the sparkify config. Names, regions, ARNs and S3
// locations come across; passwords and AWS keys never do, and are never
// printed: the report says only that they were skipped and why.
import type { SparkifyConfig, RedshiftSettings, SourceSettings } from '../config.js';
import { ConfigError } from '../errors.js';
import { COURSE_BUCKET, COURSE_BUCKET_REGION, readsCourseBucket } from './defaults.js';
import { CLUSTER_IDENTIFIER_RULE, isClusterIdentifier, isIamRoleArn } from './identifier.js';

/** Keys whose values are secrets: skipped, never shown. */
const SECRET_NAMES = new Set(['KEY', 'SECRET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'DWH_DB_PASSWORD', 'DB_PASSWORD', 'PASSWORD']);

export type IniSections = Record<string, Record<string, string>>;

/**
 * configparser-style INI: [SECTION], key = value or key: value, # and ;
 * comments, indented lines continuing the value above. Keys and sections come
 * back upper-case. A line it cannot read is named by number and key only: the
 * text of a line may be a password.
 */
export function parseIni(text: string): IniSections {
  const sections: IniSections = {};
  let current: Record<string, string> | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (/^\s/.test(raw) && current && lastKey !== undefined) {
      current[lastKey] = `${current[lastKey]}\n${line}`;
      return;
    }
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      const name = section[1].trim().toUpperCase();
      current = sections[name] ??= {};
      lastKey = undefined;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair) {
      throw new ConfigError(
        `line ${index + 1} is not "KEY = value": its text is not shown, as it may hold a secret`,
        'write it as KEY = value inside a [SECTION], as configparser reads it',
      );
    }
    if (!current) {
      throw new ConfigError(`line ${index + 1} (${pair[1].trim()}) comes before any [SECTION]`, 'put it under a section such as [CLUSTER]');
    }
    lastKey = pair[1].trim().toUpperCase();
    current[lastKey] = unquote(pair[2].trim());
  });
  return sections;
}

function unquote(value: string): string {
  const match = /^(['"])(.*)\1$/.exec(value);
  return match ? match[2] : value;
}

export interface ImportedSetting {
  /** SECTION.KEY in the imported file. */
  key: string;
  /** Where it went in the sparkify config. */
  setting: string;
  value: string;
}

export interface SkippedSetting {
  key: string;
  reason: string;
}

export interface DwhImport {
  patch: Partial<SparkifyConfig>;
  imported: ImportedSetting[];
  skipped: SkippedSetting[];
  /** A `sparkify cluster create` line that makes a cluster like the file describes, when it describes one. */
  createCommand?: string;
  /** The file itself holds a password or an AWS key in plain text. */
  holdsSecrets: boolean;
}

const PASSWORD_REASON = 'passwords are never stored; sparkify uses temporary credentials via the Data API';
const KEY_REASON = 'AWS keys are never stored; sparkify uses the standard AWS credential chain (aws configure, --profile, or environment variables)';
const PORT_REASON = 'the Data API needs no port (no inbound access to the cluster)';
const CREATE_REASON = 'a setting for creating a cluster; it is in the create command shown below';
const SECRET_LOOKING = /pass|secret|token|(^|_)key$/i;

/** `dwhcluster.abc123.us-west-2.redshift.amazonaws.com` → identifier and region. */
export function parseClusterHost(host: string): { identifier: string; region: string } | undefined {
  const match = /^([a-z][a-z0-9-]*)\.[a-z0-9]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.redshift\.amazonaws\.com$/i.exec(host.trim());
  return match ? { identifier: match[1].toLowerCase(), region: match[2].toLowerCase() } : undefined;
}

export function importDwhConfig(text: string, current: SparkifyConfig): DwhImport {
  const sections = parseIni(text);
  const known = ['AWS', 'DWH', 'CLUSTER', 'IAM_ROLE', 'S3'];
  if (!Object.keys(sections).some((name) => known.includes(name))) {
    throw new ConfigError(
      'this does not look like a dwh.cfg: none of the sections [AWS], [DWH], [CLUSTER], [IAM_ROLE], [S3] is there',
      'pass the dwh.cfg or redshift.cfg of the original project',
    );
  }
  const imported: ImportedSetting[] = [];
  const skipped: SkippedSetting[] = [];
  const redshift: RedshiftSettings = {};
  const sources: SourceSettings = {};
  const creation: Record<string, string> = {};
  let holdsSecrets = false;

  const take = (key: string, setting: string, value: string, apply: () => void): void => {
    apply();
    imported.push({ key, setting, value });
  };

  for (const [section, entries] of Object.entries(sections)) {
    for (const [name, value] of Object.entries(entries)) {
      const key = `${section}.${name}`;
      if (value === '') {
        skipped.push({ key, reason: 'empty' });
        continue;
      }
      // Every setting taken is one token; a secret is skipped below whatever its shape.
      if (value.includes('\n') && !SECRET_NAMES.has(name)) {
        skipped.push({ key, reason: 'its value goes on over indented lines; sparkify takes one-line values' });
        continue;
      }
      switch (name) {
        case 'KEY':
        case 'SECRET':
        case 'AWS_ACCESS_KEY_ID':
        case 'AWS_SECRET_ACCESS_KEY':
        case 'AWS_SESSION_TOKEN':
          holdsSecrets = true;
          skipped.push({ key, reason: KEY_REASON });
          break;
        case 'DWH_DB_PASSWORD':
        case 'DB_PASSWORD':
        case 'PASSWORD':
          holdsSecrets = true;
          skipped.push({ key, reason: PASSWORD_REASON });
          break;
        case 'DWH_PORT':
        case 'DB_PORT':
        case 'PORT':
          skipped.push({ key, reason: PORT_REASON });
          break;
        case 'REGION':
        case 'DWH_REGION':
          take(key, 'redshift.region', value, () => (redshift.region = value));
          break;
        case 'DWH_CLUSTER_TYPE':
          skipped.push({ key, reason: 'sparkify picks single- or multi-node from the node count (--nodes)' });
          break;
        case 'DWH_NUM_NODES':
        case 'DWH_NODE_TYPE':
        case 'DWH_IAM_ROLE_NAME':
          creation[name] = value;
          skipped.push({ key, reason: CREATE_REASON });
          break;
        case 'DWH_CLUSTER_IDENTIFIER': {
          // Redshift keeps identifiers in lower case; anything else it would refuse.
          const identifier = value.toLowerCase();
          if (isClusterIdentifier(identifier)) take(key, 'redshift.clusterIdentifier', identifier, () => (redshift.clusterIdentifier = identifier));
          else skipped.push({ key, reason: `not a valid cluster identifier (${value}): ${CLUSTER_IDENTIFIER_RULE}` });
          break;
        }
        case 'DWH_DB':
        case 'DB_NAME':
          if (redshift.database && redshift.database !== value) {
            skipped.push({ key, reason: `conflicts with the database ${redshift.database} read before it` });
          } else take(key, 'redshift.database', value, () => (redshift.database = value));
          break;
        case 'DWH_DB_USER':
        case 'DB_USER':
          if (redshift.dbUser && redshift.dbUser !== value) {
            skipped.push({ key, reason: `conflicts with the user ${redshift.dbUser} read before it` });
          } else take(key, 'redshift.dbUser', value, () => (redshift.dbUser = value));
          break;
        case 'HOST': {
          const host = parseClusterHost(value);
          if (!host) {
            skipped.push({ key, reason: 'not a Redshift cluster endpoint (<cluster>.<id>.<region>.redshift.amazonaws.com)' });
          } else {
            take(key, 'redshift.clusterIdentifier, redshift.region', `${host.identifier}, ${host.region}`, () => {
              redshift.clusterIdentifier ??= host.identifier;
              redshift.region ??= host.region;
            });
          }
          break;
        }
        case 'ARN':
        case 'DWH_ROLE_ARN':
          if (!isIamRoleArn(value)) skipped.push({ key, reason: 'not an IAM role ARN' });
          else take(key, 'redshift.iamRole', value, () => (redshift.iamRole = value));
          break;
        case 'LOG_DATA':
          take(key, 'sources.logData', value, () => (sources.logData = value));
          break;
        case 'SONG_DATA':
          take(key, 'sources.songData', value, () => (sources.songData = value));
          break;
        case 'LOG_JSONPATH':
        case 'LOG_JSONPATHS':
          take(key, 'sources.logJsonpaths', value, () => (sources.logJsonpaths = value));
          break;
        default:
          if (SECRET_LOOKING.test(name)) {
            holdsSecrets = true;
            skipped.push({ key, reason: 'looks like a secret; secrets are never stored' });
          } else skipped.push({ key, reason: 'not a setting sparkify uses' });
      }
    }
  }

  const fromCourseBucket = readsCourseBucket(sources.songData) || readsCourseBucket(sources.logData);
  if (fromCourseBucket && !current.sources.sourceRegion) {
    take(`S3 (${COURSE_BUCKET} is in ${COURSE_BUCKET_REGION})`, 'sources.sourceRegion', COURSE_BUCKET_REGION, () => (sources.sourceRegion = COURSE_BUCKET_REGION));
  }

  const patch: Partial<SparkifyConfig> = {};
  if (Object.keys(redshift).length > 0) {
    const merged: RedshiftSettings = { ...current.redshift, ...redshift };
    if (redshift.clusterIdentifier) delete merged.workgroupName;
    patch.redshift = merged;
  }
  if (Object.keys(sources).length > 0) patch.sources = { ...current.sources, ...sources };
  if (redshift.clusterIdentifier) patch.target = 'redshift';

  return { patch, imported, skipped, createCommand: createCommandFor(creation, redshift), holdsSecrets };
}

function createCommandFor(creation: Record<string, string>, redshift: RedshiftSettings): string | undefined {
  if (Object.keys(creation).length === 0) return undefined;
  const parts = ['sparkify cluster create', `--cluster-id ${redshift.clusterIdentifier ?? 'sparkify-dwh'}`];
  if (creation.DWH_NODE_TYPE) parts.push(`--node-type ${creation.DWH_NODE_TYPE}`);
  if (creation.DWH_NUM_NODES) parts.push(`--nodes ${creation.DWH_NUM_NODES}`);
  if (redshift.database) parts.push(`--database ${redshift.database}`);
  if (redshift.dbUser) parts.push(`--db-user ${redshift.dbUser}`);
  if (creation.DWH_IAM_ROLE_NAME) parts.push(`--role-name ${creation.DWH_IAM_ROLE_NAME}`);
  if (redshift.region) parts.push(`--region ${redshift.region}`);
  return parts.join(' ');
}
