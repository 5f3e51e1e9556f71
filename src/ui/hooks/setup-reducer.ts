// The setup wizard's state: the current step, the history Esc walks back,
// the answers so far; and the config the finished draft becomes. The steps
// themselves are in setup-steps.ts. The screen draws the current step.
import { absolutePath, jsonpathsSetting, type SparkifyConfig } from '../../pipeline/config.js';
import { COURSE_SOURCES, courseSourceRegion } from '../../pipeline/provision/defaults.js';
import type { FoundWarehouse } from '../../pipeline/provision/discover.js';
import type { CheckResult } from './setup-checks.js';
import { foundKey, initialInput, nextStep, promptFor, type SetupDraft, type SetupStepId } from './setup-steps.js';

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
  const sources = { songData: absolutePath(draft.songData), logData: absolutePath(draft.logData), logJsonpaths: jsonpathsSetting(draft.logJsonpaths) };
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
