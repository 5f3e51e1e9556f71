// The setup wizard as data: its steps, where each leads, and the draft it
// builds. The screen draws the current step; Esc walks the history back.
import { absolutePath, type SparkifyConfig } from '../../pipeline/config.js';
import { type PriceTable, priceTable } from '../../pipeline/provision/cost.js';
import { COURSE_SOURCES, SERVERLESS_DEFAULTS, courseSourceRegion } from '../../pipeline/provision/defaults.js';
import { CLUSTER_IDENTIFIER_RULE, IAM_ROLE_ARN_RULE, isClusterIdentifier, isIamRoleArn } from '../../pipeline/provision/identifier.js';
import { regionProblem } from '../../pipeline/provision/regions.js';
import type { FoundWarehouse } from '../../pipeline/provision/discover.js';
import { clusterOfferSummary, serverlessOffer } from '../../pipeline/provision/offers.js';
import { serverlessNameProblem } from '../../pipeline/provision/serverless.js';
import type { CheckResult } from './setup-checks.js';

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

export interface SetupState {
  step: SetupStepId;
  history: SetupStepId[];
  cursor: number;
  input: string;
  draft: SetupDraft;
  /** Inline message about the answer just given (an empty required field). */
  problem: string | null;
  checks: CheckResult[] | null;
  checking: boolean;
  progress: string | null;
  /** Clusters and workgroups the credentials see in the draft's region; null until asked. */
  found: FoundWarehouse[] | null;
  /** A word about the list: none found, or why it could not be had. */
  notice: string | null;
}

export type SetupAction =
  | { type: 'move'; delta: number; count: number }
  | { type: 'choose'; value: string }
  | { type: 'input'; value: string }
  | { type: 'submit' }
  | { type: 'back' }
  | { type: 'progress'; text: string }
  | { type: 'generated'; songData: string; logData: string; logJsonpaths: string }
  | { type: 'generation-failed'; message: string }
  | { type: 'checks-started' }
  | { type: 'checks-finished'; results: CheckResult[] }
  /** A step of creating the new workgroup is done: it joins the list on screen. */
  | { type: 'check-progress'; result: CheckResult }
  | { type: 'found'; items: FoundWarehouse[] }
  | { type: 'find-failed'; message: string };

export function initialSetupState(config: SparkifyConfig | null): SetupState {
  const draft: SetupDraft = config ? draftFromConfig(config) : {};
  return { step: 'target', history: [], cursor: 0, input: '', draft, problem: null, checks: null, checking: false, progress: null, found: null, notice: null };
}

function draftFromConfig(config: SparkifyConfig): SetupDraft {
  const r = config.redshift;
  return {
    region: r.region,
    profile: r.profile,
    kind: r.workgroupName ? 'serverless' : r.clusterIdentifier ? 'provisioned' : undefined,
    identifier: r.workgroupName ?? r.clusterIdentifier,
    database: r.database,
    dbUser: r.dbUser,
    secretArn: r.secretArn,
    iamRole: r.iamRole,
  };
}

function enter(state: SetupState, draft: SetupDraft, step: SetupStepId): SetupState {
  return {
    ...state,
    draft,
    step,
    history: [...state.history, state.step],
    cursor: 0,
    input: initialInput(step, draft),
    problem: null,
    checks: null,
    progress: null,
    // The list is asked for afresh each time the step is reached: the region or credentials may have changed.
    found: step === 'warehouse' ? null : state.found,
    notice: null,
  };
}

/** The draft with a found cluster or workgroup: its name, database, admin user and role, unless the person chose them for this one before. */
function withFound(draft: SetupDraft, item: FoundWarehouse): SetupDraft {
  const same = draft.kind === item.kind && draft.identifier === item.identifier;
  return {
    ...draft,
    kind: item.kind,
    identifier: item.identifier,
    database: same ? (draft.database ?? item.database) : (item.database ?? draft.database),
    dbUser: same ? (draft.dbUser ?? item.adminUser) : (item.adminUser ?? draft.dbUser),
    iamRole: draft.iamRole && (same || item.roleArns.includes(draft.iamRole)) ? draft.iamRole : (item.roleArns[0] ?? draft.iamRole),
  };
}

/** With nothing to list, the wizard asks for the kind and name instead; Esc from there skips the empty list. */
function typeInstead(state: SetupState, notice: string): SetupState {
  return { ...enter(state, state.draft, 'kind'), history: state.history, notice };
}

const CHOICE_FIELDS: Partial<Record<SetupStepId, keyof SetupDraft>> = {
  target: 'choice',
  'local-data': 'localData',
  profile: 'profile',
  kind: 'kind',
  auth: 'auth',
};

export function setupReducer(state: SetupState, action: SetupAction): SetupState {
  switch (action.type) {
    case 'move':
      return { ...state, cursor: (state.cursor + action.delta + action.count) % Math.max(1, action.count) };
    case 'choose': {
      if (state.step === 'confirm-create') return action.value === 'create' ? enter(state, state.draft, 'checking') : setupReducer(state, { type: 'back' });
      if (state.step === 'warehouse') {
        const item = state.found?.find((f) => foundKey(f) === action.value);
        const draft = item ? withFound(state.draft, item) : state.draft;
        return enter(state, draft, item ? 'database' : 'kind');
      }
      const field = CHOICE_FIELDS[state.step];
      if (!field) return state;
      const draft = { ...state.draft, [field]: action.value || undefined };
      return enter(state, draft, nextStep(state.step, draft));
    }
    case 'input':
      return { ...state, input: action.value, problem: null };
    case 'submit': {
      const prompt = promptFor(state.step, state.draft);
      if (!prompt) return state;
      const typed = state.input.trim();
      const value = prompt.normalize ? prompt.normalize(typed) : typed;
      if (value === '' && !prompt.optional) return { ...state, problem: 'this one is needed' };
      const problem = value === '' ? null : (prompt.check?.(value) ?? null);
      if (problem) return { ...state, problem };
      const draft = { ...state.draft, [prompt.field]: value === '' ? undefined : value };
      return enter(state, draft, nextStep(state.step, draft));
    }
    case 'back': {
      if (state.checking) return state;
      let history = state.history;
      // Generation is not a place to go back to: skip over it.
      while (history.length > 0 && history[history.length - 1] === 'generating') history = history.slice(0, -1);
      const previous = history[history.length - 1];
      if (!previous) return state;
      return {
        ...state,
        step: previous,
        history: history.slice(0, -1),
        cursor: 0,
        input: initialInput(previous, state.draft),
        problem: null,
        checks: null,
        progress: null,
      };
    }
    case 'progress':
      return { ...state, progress: action.text };
    case 'generated': {
      const draft = { ...state.draft, songData: action.songData, logData: action.logData, logJsonpaths: action.logJsonpaths };
      return enter(state, draft, 'checking');
    }
    case 'generation-failed':
      return { ...state, progress: null, problem: action.message };
    case 'checks-started':
      return { ...state, checking: true, checks: null };
    case 'checks-finished':
      return { ...state, checking: false, checks: action.results };
    case 'check-progress':
      return state.checking ? { ...state, checks: [...(state.checks ?? []), action.result] } : state;
    case 'found': {
      if (state.step !== 'warehouse') return state;
      if (action.items.length === 0) return typeInstead(state, `no clusters or workgroups in ${state.draft.region ?? 'this region'} for these credentials: name one`);
      const current = state.draft.kind && state.draft.identifier ? foundKey({ kind: state.draft.kind, identifier: state.draft.identifier }) : '';
      return { ...state, found: action.items, cursor: Math.max(0, action.items.findIndex((f) => foundKey(f) === current)) };
    }
    case 'find-failed':
      return state.step === 'warehouse' ? typeInstead(state, `could not list the clusters and workgroups (${action.message}): name one`) : state;
  }
}

/**
 * The config the draft describes; settings it does not touch are kept from
 * `previous`. Local paths are saved absolute, as typed from the folder the
 * wizard runs in, so they mean the same from anywhere.
 */
export function draftToConfig(draft: SetupDraft, previous: SparkifyConfig | null): SparkifyConfig {
  const base: SparkifyConfig = previous ?? { target: 'local', sources: {}, redshift: {} };
  const sources = { songData: absolutePath(draft.songData), logData: absolutePath(draft.logData), logJsonpaths: absolutePath(draft.logJsonpaths) };
  if (draft.choice === 'local') {
    return { ...base, target: 'local', sources };
  }
  if (draft.choice === 'redshift-new' || draft.choice === 'serverless-new') {
    return {
      ...base,
      target: 'redshift',
      sources: { ...COURSE_SOURCES, sourceRegion: courseSourceRegion(COURSE_SOURCES, draft.region) },
      redshift: { ...base.redshift, region: draft.region, profile: draft.profile },
    };
  }
  return {
    ...base,
    target: 'redshift',
    sources: {
      ...sources,
      sourceRegion: courseSourceRegion(draft, draft.region),
    },
    redshift: {
      region: draft.region,
      profile: draft.profile,
      clusterIdentifier: draft.kind === 'provisioned' ? draft.identifier : undefined,
      workgroupName: draft.kind === 'serverless' ? draft.identifier : undefined,
      database: draft.database,
      dbUser: draft.auth === 'db-user' ? draft.dbUser : undefined,
      secretArn: draft.auth === 'secret' ? draft.secretArn : undefined,
      iamRole: draft.iamRole,
    },
  };
}
