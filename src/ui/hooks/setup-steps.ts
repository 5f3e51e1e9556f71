// The setup wizard's steps as data: what each asks (a list or a text field),
// where each leads, and the draft its answers build. The state it moves
// through, and the config the draft becomes, are in setup-reducer.ts.
import { type PriceTable, priceTable } from '../../pipeline/provision/cost.js';
import { COURSE_SOURCES, SERVERLESS_DEFAULTS } from '../../pipeline/provision/defaults.js';
import { CLUSTER_IDENTIFIER_RULE, IAM_ROLE_ARN_RULE, isClusterIdentifier, isIamRoleArn } from '../../pipeline/provision/identifier.js';
import { regionProblem } from '../../pipeline/provision/regions.js';
import type { FoundWarehouse } from '../../pipeline/provision/discover.js';
import { clusterOfferSummary, serverlessOffer } from '../../pipeline/provision/offers.js';
import { serverlessNameProblem } from '../../pipeline/provision/serverless.js';

export type SetupStepId =
  | 'target'
  | 'local-data'
  | 'generating'
  | 'region'
  | 'profile'
  | 'warehouse'
  | 'kind'
  | 'identifier'
  | 'database'
  | 'auth'
  | 'db-user'
  | 'secret-arn'
  | 'song-data'
  | 'log-data'
  | 'log-jsonpaths'
  | 'iam-role'
  | 'workgroup-name'
  | 'confirm-create'
  | 'checking';

export interface SetupDraft {
  choice?: 'local' | 'redshift-existing' | 'redshift-new' | 'serverless-new';
  localData?: 'sample' | 'sample-large' | 'folders';
  region?: string;
  profile?: string;
  kind?: 'provisioned' | 'serverless';
  identifier?: string;
  database?: string;
  auth?: 'db-user' | 'secret' | 'iam';
  dbUser?: string;
  secretArn?: string;
  songData?: string;
  logData?: string;
  logJsonpaths?: string;
  iamRole?: string;
  /** The Serverless workgroup (and namespace) to create. */
  newWorkgroup?: string;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

export interface TextPrompt {
  question: string;
  field: 'region' | 'identifier' | 'newWorkgroup' | 'database' | 'dbUser' | 'secretArn' | 'songData' | 'logData' | 'logJsonpaths' | 'iamRole';
  /**
   * The form an answer takes, drawn as "e.g. …" in an empty field: never a
   * value Enter takes. A sensible default is a prefilled value instead (see
   * initialInput), so what the field shows is what Enter saves.
   */
  example?: string;
  optional?: boolean;
  /** Puts an answer in the form it is saved in (Redshift keeps identifiers in lower case). */
  normalize?: (value: string) => string;
  /** What is wrong with a (normalized) answer, or null. */
  check?: (value: string) => string | null;
}

/** How a found cluster or workgroup is named in the list's values. */
export function foundKey(found: Pick<FoundWarehouse, 'kind' | 'identifier'>): string {
  return `${found.kind}:${found.identifier}`;
}

/** The region a new warehouse goes to unless the person says otherwise: the course data's. */
function newWarehouseRegion(draft: SetupDraft): string {
  return draft.region ?? SERVERLESS_DEFAULTS.region;
}

/** The two new warehouses, the cheaper for a learner first: Serverless, unless the prices say otherwise. */
function newWarehouseChoices(draft: SetupDraft, prices: PriceTable): Choice[] {
  const offer = serverlessOffer(prices, newWarehouseRegion(draft));
  const serverless = { value: 'serverless-new', label: 'New Redshift Serverless workgroup', hint: `created now · ${offer.summary}` };
  const cluster = { value: 'redshift-new', label: 'New Redshift cluster', hint: `created from the cluster screen · ${clusterOfferSummary(prices)}` };
  return offer.cheaperThanCluster ? [serverless, cluster] : [cluster, serverless];
}

export function choicesFor(
  step: SetupStepId,
  draft: SetupDraft,
  profiles: string[],
  found: FoundWarehouse[] | null = null,
  prices: PriceTable = priceTable(),
): Choice[] | null {
  switch (step) {
    case 'target':
      return [
        { value: 'local', label: 'Embedded warehouse (DuckDB file)', hint: 'no account, no network · recommended to start' },
        { value: 'redshift-existing', label: 'Existing Redshift cluster or Serverless workgroup' },
        ...newWarehouseChoices(draft, prices),
      ];
    case 'confirm-create':
      return [
        { value: 'create', label: `Create workgroup ${draft.newWorkgroup ?? ''}`, hint: serverlessOffer(prices, newWarehouseRegion(draft)).summary },
        { value: 'back', label: 'Not now: go back' },
      ];
    case 'local-data':
      return [
        { value: 'sample', label: 'Generate sample data', hint: 'course-sized: about 8,000 events, in $SPARKIFY_HOME/sample' },
        { value: 'sample-large', label: 'Generate a larger sample', hint: 'about 240,000 events (100 MB), in $SPARKIFY_HOME/sample-large' },
        { value: 'folders', label: 'Use data in local folders', hint: 'e.g. the course song_data and log_data' },
      ];
    case 'profile':
      return [
        { value: '', label: 'Default credential chain', hint: 'AWS_PROFILE, environment variables, instance role' },
        ...profiles.map((p) => ({ value: p, label: `profile ${p}` })),
      ];
    case 'warehouse':
      return found === null
        ? null
        : [
            ...found.map((f) => ({
              value: foundKey(f),
              label: `${f.kind === 'provisioned' ? 'cluster' : 'workgroup'} ${f.identifier}`,
              hint: [f.status, f.size, f.database ? `database ${f.database}` : undefined, f.roleArns[0] ? `role ${f.roleArns[0].replace(/^.*:role\//, '')}` : undefined]
                .filter(Boolean)
                .join(' · '),
            })),
            { value: '', label: 'Another one: type its name' },
          ];
    case 'kind':
      return [
        { value: 'provisioned', label: 'Provisioned cluster' },
        { value: 'serverless', label: 'Serverless workgroup' },
      ];
    case 'auth':
      return draft.kind === 'serverless'
        ? [
            { value: 'iam', label: 'My IAM identity', hint: 'the workgroup maps it to a database user' },
            { value: 'secret', label: 'A Secrets Manager secret', hint: 'its ARN is saved, never the password' },
          ]
        : [
            { value: 'db-user', label: 'A database user (temporary credentials)', hint: 'GetClusterCredentials for DbUser' },
            { value: 'secret', label: 'A Secrets Manager secret', hint: 'its ARN is saved, never the password' },
          ];
    default:
      return null;
  }
}

export function promptFor(step: SetupStepId, draft: SetupDraft): TextPrompt | null {
  const local = draft.choice === 'local';
  switch (step) {
    case 'region':
      return { question: 'AWS region of the warehouse', field: 'region', example: 'us-east-1', check: regionProblem };
    case 'workgroup-name':
      return { question: 'Name of the new workgroup (its namespace gets the same name)', field: 'newWorkgroup', check: (value) => serverlessNameProblem('workgroup', value) };
    case 'identifier':
      return draft.kind === 'serverless'
        ? { question: 'Serverless workgroup name', field: 'identifier' }
        : {
            question: 'Cluster identifier',
            field: 'identifier',
            normalize: (value) => value.toLowerCase(),
            check: (value) => (isClusterIdentifier(value) ? null : `not a valid cluster identifier: ${CLUSTER_IDENTIFIER_RULE}`),
          };
    case 'database':
      return { question: 'Database name', field: 'database', example: 'dev' };
    case 'db-user':
      return { question: 'Database user', field: 'dbUser', example: 'awsuser' };
    case 'secret-arn':
      return { question: 'Secret ARN', field: 'secretArn', example: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:…' };
    case 'song-data':
      return { question: local ? 'Folder of song JSON files' : 'Song data (s3:// prefix)', field: 'songData' };
    case 'log-data':
      return { question: local ? 'Folder of event log files' : 'Event logs (s3:// prefix)', field: 'logData' };
    case 'log-jsonpaths':
      return {
        question: local ? 'jsonpaths file for the events (empty: match keys by name)' : 'jsonpaths file (s3://, empty: match keys by name)',
        field: 'logJsonpaths',
        optional: true,
      };
    case 'iam-role':
      // COPY names the role it assumes: without one the load cannot read the bucket.
      return {
        question: 'IAM role Redshift assumes to read the sources',
        field: 'iamRole',
        example: 'arn:aws:iam::123456789012:role/…',
        check: (value) => (isIamRoleArn(value) ? null : IAM_ROLE_ARN_RULE),
      };
    default:
      return null;
  }
}

/** Where a step leads once answered. */
export function nextStep(step: SetupStepId, draft: SetupDraft): SetupStepId {
  switch (step) {
    case 'target':
      return draft.choice === 'local' ? 'local-data' : 'region';
    case 'local-data':
      return draft.localData === 'folders' ? 'song-data' : 'generating';
    case 'generating':
      return 'checking';
    case 'region':
      return 'profile';
    case 'profile':
      return draft.choice === 'redshift-new' ? 'checking' : draft.choice === 'serverless-new' ? 'workgroup-name' : 'warehouse';
    case 'workgroup-name':
      return 'confirm-create';
    case 'confirm-create':
      return 'checking';
    case 'warehouse':
      return draft.identifier && draft.kind ? 'database' : 'kind';
    case 'kind':
      return 'identifier';
    case 'identifier':
      return 'database';
    case 'database':
      return 'auth';
    case 'auth':
      return draft.auth === 'db-user' ? 'db-user' : draft.auth === 'secret' ? 'secret-arn' : 'song-data';
    case 'db-user':
    case 'secret-arn':
      return 'song-data';
    case 'song-data':
      return 'log-data';
    case 'log-data':
      return 'log-jsonpaths';
    case 'log-jsonpaths':
      return draft.choice === 'local' ? 'checking' : 'iam-role';
    case 'iam-role':
    case 'checking':
      return 'checking';
  }
}

/** The value a text step starts with: what was typed before, else a sensible default. */
export function initialInput(step: SetupStepId, draft: SetupDraft, env: NodeJS.ProcessEnv = process.env): string {
  const prompt = promptFor(step, draft);
  if (!prompt) return '';
  const typed = draft[prompt.field];
  if (typed !== undefined) return typed;
  if (draft.choice !== 'local') {
    if (prompt.field === 'songData') return COURSE_SOURCES.songData;
    if (prompt.field === 'logData') return COURSE_SOURCES.logData;
    if (prompt.field === 'logJsonpaths') return COURSE_SOURCES.logJsonpaths;
  }
  if (prompt.field === 'region') return env.AWS_REGION || env.AWS_DEFAULT_REGION || (draft.choice === 'serverless-new' ? SERVERLESS_DEFAULTS.region : 'us-east-1');
  if (prompt.field === 'newWorkgroup') return SERVERLESS_DEFAULTS.workgroup;
  if (prompt.field === 'database') return 'dev';
  // The admin user a provisioned cluster gets unless told otherwise (the console, `sparkify cluster create`).
  if (prompt.field === 'dbUser') return 'awsuser';
  // ARNs and names are the user's own: no guess would be right, an example shows their form.
  return '';
}
