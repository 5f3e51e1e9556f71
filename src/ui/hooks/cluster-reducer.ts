// State of the cluster screen: the latest snapshot from polling, the question
// on screen (name, confirmations), and the change under way.
import type { ClusterSnapshot } from '../../pipeline/provision/cluster.js';

export type ClusterMode = 'view' | 'name' | 'confirm-create' | 'confirm-pause' | 'confirm-resume' | 'confirm-snapshot' | 'delete-name';

export interface ClusterState {
  snapshot: ClusterSnapshot | null;
  error: { message: string; hint?: string } | null;
  mode: ClusterMode;
  nameInput: string;
  /** Delete: whether a final snapshot is taken, and the name typed to confirm. */
  finalSnapshot: boolean;
  typedName: string;
  /** The change under way (creating, pausing, ...), null when none. */
  change: string | null;
  progress: string[];
}

export type ClusterAction =
  | { type: 'snapshot'; snapshot: ClusterSnapshot }
  | { type: 'error'; message: string; hint?: string }
  | { type: 'mode'; mode: ClusterMode }
  | { type: 'name-input'; value: string }
  | { type: 'delete-snapshot'; keep: boolean }
  | { type: 'typed-name'; value: string }
  | { type: 'change-started'; label: string }
  | { type: 'progress'; line: string }
  | { type: 'change-finished' };

export function initialClusterState(): ClusterState {
  return { snapshot: null, error: null, mode: 'view', nameInput: 'sparkify-dwh', finalSnapshot: false, typedName: '', change: null, progress: [] };
}

export function clusterReducer(state: ClusterState, action: ClusterAction): ClusterState {
  switch (action.type) {
    case 'snapshot':
      return { ...state, snapshot: action.snapshot, error: state.change ? state.error : null };
    case 'error':
      return { ...state, error: { message: action.message, hint: action.hint } };
    case 'mode':
      return { ...state, mode: action.mode };
    case 'name-input':
      return { ...state, nameInput: action.value };
    case 'delete-snapshot':
      return { ...state, mode: 'delete-name', finalSnapshot: action.keep, typedName: '' };
    case 'typed-name':
      return { ...state, typedName: action.value };
    case 'change-started':
      return { ...state, mode: 'view', change: action.label, progress: [], error: null };
    case 'progress':
      return { ...state, progress: [...state.progress, action.line].slice(-4) };
    case 'change-finished':
      return { ...state, change: null };
  }
}
