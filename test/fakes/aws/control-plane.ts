// Shared state of the fake AWS control plane (Redshift, IAM, STS, Redshift
// Serverless): resources, a clock the tests move, injectable faults and a log
// of the requests received. Statuses change when the clock passes a
// resource's transition time, so a test decides when "creating" becomes
// "available" without sleeping.
import { randomUUID } from 'node:crypto';
import type { FakeRequest, FakeResponse, FakeService } from './server.js';

export const FAKE_ACCOUNT = '123456789012';
export const FAKE_CALLER_ARN = `arn:aws:iam::${FAKE_ACCOUNT}:user/sparkify-test`;

export interface ControlPlaneOptions {
  /** How long a transition (creating, pausing, deleting, ...) takes on the fake clock. Default 2000 ms. */
  stateDelayMs?: number;
  /** Faults armed at start: `Operation=Code[*count]`, comma-separated (count -1 = every call). */
  faults?: string;
}

export interface Transition {
  status: string;
  at: number;
  /** A status it moves on to, one state delay later (final-snapshot → deleting → gone). */
  then?: string;
}

export interface FakeCluster {
  identifier: string;
  region: string;
  nodeType: string;
  nodes: number;
  database: string;
  masterUsername: string;
  status: string;
  next?: Transition;
  createdAt: number;
  iamRoles: string[];
  publiclyAccessible: boolean;
  manageMasterPassword: boolean;
  masterPasswordSecretArn?: string;
  vpcSecurityGroupIds: string[];
  tags: Record<string, string>;
}

export interface FakeRole {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  assumeRolePolicyDocument: string;
  createdAt: number;
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
  tags: Record<string, string>;
}

export interface FakeNamespace {
  name: string;
  id: string;
  arn: string;
  region: string;
  dbName: string;
  adminUsername?: string;
  manageAdminPassword: boolean;
  adminPasswordSecretArn?: string;
  iamRoles: string[];
  defaultIamRoleArn?: string;
  status: string;
  next?: Transition;
  createdAt: number;
}

export interface FakeWorkgroup {
  name: string;
  id: string;
  arn: string;
  region: string;
  namespaceName: string;
  baseCapacity: number;
  publiclyAccessible: boolean;
  status: string;
  next?: Transition;
  createdAt: number;
}

export interface FakeUsageLimit {
  id: string;
  arn: string;
  /** The workgroup ARN it limits. */
  resourceArn: string;
  usageType: string;
  amount: number;
  period: string;
  breachAction: string;
}

/** A one-time scheduled pause (`at(...)` schedule), run by the fake when its clock passes the time. */
export interface FakeScheduledAction {
  name: string;
  clusterIdentifier: string;
  schedule: string;
  at: number;
  iamRole: string;
  description?: string;
  /** True once the fake has run it. */
  done: boolean;
}

export interface FakeSnapshot {
  identifier: string;
  clusterIdentifier: string;
  createdAt: number;
  nodeType: string;
  nodes: number;
  /** 'final' for the one DeleteCluster takes. */
  kind: 'final' | 'manual';
}

export interface Fault {
  operation: string;
  code: string;
  message?: string;
  /** Calls left that fail; -1 = every call. */
  count: number;
}

export interface LoggedRequest {
  service: string;
  operation: string;
  params: Record<string, unknown>;
}

/** A cluster event as DescribeEvents lists it. */
export interface FakeEvent {
  sourceIdentifier: string;
  at: number;
  message: string;
}

/** A status that goes away entirely when its transition completes. */
export const GONE = 'gone';

export class ControlPlaneState {
  stateDelayMs: number;
  private clockOffsetMs = 0;
  readonly clusters = new Map<string, FakeCluster>();
  readonly roles = new Map<string, FakeRole>();
  readonly namespaces = new Map<string, FakeNamespace>();
  readonly workgroups = new Map<string, FakeWorkgroup>();
  readonly snapshots: FakeSnapshot[] = [];
  readonly usageLimits = new Map<string, FakeUsageLimit>();
  readonly scheduledActions = new Map<string, FakeScheduledAction>();
  /** Cluster events, oldest first: pauses and resumes as they complete. */
  readonly events: FakeEvent[] = [];
  faults: Fault[] = [];
  readonly requests: LoggedRequest[] = [];

  constructor(options: ControlPlaneOptions = {}) {
    this.stateDelayMs = options.stateDelayMs ?? 2000;
    if (options.faults) this.faults.push(...parseFaults(options.faults));
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advance(ms: number): number {
    this.clockOffsetMs += ms;
    return this.now();
  }

  setClock(at: number): number {
    this.clockOffsetMs = at - Date.now();
    return this.now();
  }

  transitionTo(status: string, then?: string): Transition {
    return { status, at: this.now() + this.stateDelayMs, ...(then ? { then } : {}) };
  }

  /** Applies every transition whose time has come. */
  settle(): void {
    const now = this.now();
    for (const action of this.scheduledActions.values()) {
      if (action.done || action.at > now) continue;
      action.done = true;
      const cluster = this.clusters.get(action.clusterIdentifier);
      // The pause runs at its time; a cluster not available then is left as it is, as Redshift does.
      if (cluster?.status === 'available' && !cluster.next) {
        cluster.status = 'pausing';
        cluster.next = { status: 'paused', at: action.at + this.stateDelayMs };
      }
    }
    for (const [id, cluster] of this.clusters) {
      while (cluster.next && cluster.next.at <= now) {
        const { status, at, then } = cluster.next;
        if (status === GONE) {
          this.clusters.delete(id);
          break;
        }
        const before = cluster.status;
        cluster.status = status;
        cluster.next = then ? { status: then, at: at + this.stateDelayMs } : undefined;
        if (status === 'paused') this.events.push({ sourceIdentifier: id, at, message: `Cluster ${id} has been paused.` });
        if (before === 'resuming' && status === 'available') this.events.push({ sourceIdentifier: id, at, message: `Cluster ${id} has been resumed.` });
      }
    }
    for (const map of [this.namespaces, this.workgroups] as Map<string, FakeNamespace | FakeWorkgroup>[]) {
      for (const [id, item] of map) {
        if (item.next && item.next.at <= now) {
          if (item.next.status === GONE) map.delete(id);
          else {
            item.status = item.next.status;
            item.next = undefined;
          }
        }
      }
    }
  }

  /** An available cluster, as if made long ago (for tests that need one to exist). */
  addCluster(identifier: string, fields: Partial<FakeCluster> = {}): FakeCluster {
    const cluster: FakeCluster = {
      identifier,
      region: 'us-west-2',
      nodeType: 'ra3.large',
      nodes: 1,
      database: 'dev',
      masterUsername: 'awsuser',
      status: 'available',
      createdAt: this.now() - 3_600_000,
      iamRoles: [],
      publiclyAccessible: false,
      manageMasterPassword: true,
      vpcSecurityGroupIds: [`sg-${randomSuffix(17)}`],
      tags: {},
      ...fields,
    };
    this.clusters.set(identifier, cluster);
    return cluster;
  }

  /** An available workgroup and its namespace of the same name. */
  addWorkgroup(name: string, fields: { region?: string; baseCapacity?: number; dbName?: string; iamRoles?: string[] } = {}): FakeWorkgroup {
    const region = fields.region ?? 'us-west-2';
    const id = randomUUID();
    this.namespaces.set(name, {
      name,
      id,
      arn: `arn:aws:redshift-serverless:${region}:${FAKE_ACCOUNT}:namespace/${id}`,
      region,
      dbName: fields.dbName ?? 'dev',
      adminUsername: 'awsuser',
      manageAdminPassword: true,
      iamRoles: fields.iamRoles ?? [],
      status: 'AVAILABLE',
      createdAt: this.now() - 3_600_000,
    });
    const workgroup: FakeWorkgroup = {
      name,
      id,
      arn: `arn:aws:redshift-serverless:${region}:${FAKE_ACCOUNT}:workgroup/${id}`,
      region,
      namespaceName: name,
      baseCapacity: fields.baseCapacity ?? 4,
      publiclyAccessible: false,
      status: 'AVAILABLE',
      createdAt: this.now() - 3_600_000,
    };
    this.workgroups.set(name, workgroup);
    return workgroup;
  }

  /** The fault armed for this operation, if any (consumes one use). */
  takeFault(operation: string): Fault | undefined {
    const fault = this.faults.find((f) => f.operation === operation && f.count !== 0);
    if (!fault) return undefined;
    if (fault.count > 0) fault.count -= 1;
    this.faults = this.faults.filter((f) => f.count !== 0);
    return fault;
  }

  log(service: string, operation: string, params: Record<string, unknown>): void {
    this.requests.push({ service, operation, params });
  }

  snapshot(): unknown {
    this.settle();
    return {
      now: new Date(this.now()).toISOString(),
      clusters: [...this.clusters.values()],
      roles: [...this.roles.values()].map((role) => ({
        ...role,
        assumeRolePolicyDocument: JSON.parse(role.assumeRolePolicyDocument) as unknown,
        inlinePolicies: Object.fromEntries(
          Object.entries(role.inlinePolicies).map(([name, doc]) => [name, JSON.parse(doc) as unknown]),
        ),
      })),
      namespaces: [...this.namespaces.values()],
      workgroups: [...this.workgroups.values()],
      snapshots: this.snapshots,
      usageLimits: [...this.usageLimits.values()],
      scheduledActions: [...this.scheduledActions.values()],
      faults: this.faults,
    };
  }

  /** Test-control routes, the same under every control-plane service name. */
  control(path: string, body: unknown): unknown {
    const input = (body ?? {}) as Record<string, unknown>;
    switch (path) {
      case '/state':
        return this.snapshot();
      case '/clock':
        if (typeof input.set === 'string') this.setClock(Date.parse(input.set));
        if (typeof input.advanceMs === 'number') this.advance(input.advanceMs);
        this.settle();
        return { now: new Date(this.now()).toISOString() };
      case '/faults':
        this.faults.push({
          operation: String(input.operation),
          code: String(input.code),
          message: typeof input.message === 'string' ? input.message : undefined,
          count: typeof input.count === 'number' ? input.count : 1,
        });
        return { faults: this.faults };
      case '/faults/clear':
        this.faults = [];
        return { faults: [] };
      case '/settings':
        if (typeof input.stateDelayMs === 'number') this.stateDelayMs = input.stateDelayMs;
        return { stateDelayMs: this.stateDelayMs };
      case '/requests':
        return this.requests;
      default:
        return { error: `unknown control route ${path}` };
    }
  }
}

export function parseFaults(text: string): Fault[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = part.match(/^(\w+)=(\w+)(?:\*(-?\d+))?$/);
      if (!match) throw new Error(`bad fault "${part}": expected Operation=Code or Operation=Code*count`);
      return { operation: match[1], code: match[2], count: match[3] ? Number(match[3]) : 1 };
    });
}

/** An error a fake operation raises; each protocol renders it its own way. */
export class FakeAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The error an injected fault raises, with the status and wording AWS uses for that code. */
export function faultError(fault: Fault, service: string, operation: string): FakeAwsError {
  const defaults: Record<string, [number, string]> = {
    Throttling: [400, 'Rate exceeded'],
    ThrottlingException: [400, 'Rate exceeded'],
    AccessDenied: [
      403,
      `User: ${FAKE_CALLER_ARN} is not authorized to perform: ${service}:${operation} because no identity-based policy allows the ${service}:${operation} action`,
    ],
    AccessDeniedException: [
      400,
      `User: ${FAKE_CALLER_ARN} is not authorized to perform: ${service}:${operation} because no identity-based policy allows the ${service}:${operation} action`,
    ],
    ClusterAlreadyExists: [400, 'Cluster already exists'],
    InsufficientClusterCapacity: [400, 'Insufficient capacity to create the cluster: there are not enough nodes of this type available in this region right now'],
    ClusterQuotaExceeded: [400, 'The request would exceed the allowed number of clusters for this account'],
    UnsupportedOperation: [400, 'The requested node type is not supported in this region'],
    InvalidClientTokenId: [403, 'The security token included in the request is invalid.'],
    ExpiredToken: [400, 'The security token included in the request is expired'],
    ServiceUnavailable: [503, 'Service is unavailable, please try again later'],
  };
  const [status, message] = defaults[fault.code] ?? [400, `${fault.code} (injected)`];
  return new FakeAwsError(fault.code, fault.message ?? message, status);
}

export function requestId(): string {
  return randomUUID();
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

type XmlValue = string | number | boolean | undefined | null | XmlNode[];
export type XmlNode = [name: string, value: XmlValue];

/** Renders `[name, value]` pairs; undefined/null values are left out, as AWS omits empty members. */
export function xml(nodes: XmlNode[]): string {
  return nodes
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `<${name}>${Array.isArray(value) ? xml(value) : escapeXml(String(value))}</${name}>`)
    .join('');
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** An AWS Query protocol response: `<OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>`. */
export function queryResponse(namespace: string, operation: string, result: XmlNode[] | undefined): FakeResponse {
  const resultXml = result === undefined ? '' : `<${operation}Result>${xml(result)}</${operation}Result>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${namespace}">${resultXml}` +
      `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

export function queryError(error: FakeAwsError): FakeResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  };
}

export function jsonResponse(body: unknown): FakeResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

export function jsonError(error: FakeAwsError): FakeResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

/** Query-protocol list members: `Name.member.N` or `Name.Item.N`, in order. */
export function formList(form: URLSearchParams, name: string): string[] {
  const items: [number, string][] = [];
  const pattern = new RegExp(`^${name}\\.(?:[A-Za-z]+\\.)?(\\d+)$`);
  for (const [key, value] of form) {
    const match = key.match(pattern);
    if (match) items.push([Number(match[1]), value]);
  }
  return items.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

/** Query-protocol tag lists: `Tags.member.N.Key` / `Tags.Tag.N.Value`. */
export function formTags(form: URLSearchParams): Record<string, string> {
  const keys = new Map<number, { key?: string; value?: string }>();
  const pattern = /^Tags\.(?:[A-Za-z]+\.)?(\d+)\.(Key|Value)$/;
  for (const [name, value] of form) {
    const match = name.match(pattern);
    if (!match) continue;
    const entry = keys.get(Number(match[1])) ?? {};
    if (match[2] === 'Key') entry.key = value;
    else entry.value = value;
    keys.set(Number(match[1]), entry);
  }
  return Object.fromEntries([...keys.values()].filter((e) => e.key).map((e) => [e.key as string, e.value ?? '']));
}

export function formParams(form: URLSearchParams): Record<string, unknown> {
  return Object.fromEntries(form);
}

/** The region from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
export function signingRegion(authorization: string | string[] | undefined): string {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return header?.match(/Credential=[^/]+\/[^/]+\/([^/]+)\//)?.[1] ?? 'us-east-1';
}

/** Rejects unsigned requests the way AWS does: the SDK always signs, so this catches a missing credential chain. */
export function requireSignature(authorization: string | string[] | undefined): void {
  if (!authorization) throw new FakeAwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
}

export function randomSuffix(length: number): string {
  return randomUUID().replace(/-/g, '').slice(0, length);
}

export type ControlPlaneService = FakeService & { state: ControlPlaneState };

/** One operation of a Query-protocol fake: the form and the signing region in, the result's XML nodes out. */
export type QueryOperation = (form: URLSearchParams, region: string) => XmlNode[] | undefined;

/**
 * A fake of an AWS Query-protocol service (form-encoded POST, XML answers):
 * checks the signature and Version, logs the call, injects a queued fault,
 * then runs the operation.
 */
export function queryProtocolService(options: {
  name: string;
  state: ControlPlaneState;
  version: string;
  namespace: string;
  operations: Record<string, QueryOperation>;
  /** Runs before each operation (e.g. moving statuses on the clock). */
  beforeOperation?: () => void;
}): ControlPlaneService {
  const { name, state, version, namespace, operations } = options;
  return {
    name,
    state,
    handles: (request: FakeRequest) => request.signingService === name && request.form !== undefined,
    handle(request: FakeRequest): FakeResponse {
      const form = request.form as URLSearchParams;
      const operation = form.get('Action') ?? '';
      try {
        requireSignature(request.headers.authorization);
        if (form.get('Version') !== version) throw new FakeAwsError('InvalidParameterValue', `unsupported Version ${form.get('Version')}`);
        const run = operations[operation];
        if (!run) throw new FakeAwsError('InvalidAction', `Could not find operation ${operation} for version ${version}`);
        state.log(name, operation, formParams(form));
        const fault = state.takeFault(operation);
        if (fault) throw faultError(fault, name, operation);
        options.beforeOperation?.();
        return queryResponse(namespace, operation, run(form, signingRegion(request.headers.authorization)));
      } catch (error) {
        if (error instanceof FakeAwsError) return queryError(error);
        throw error;
      }
    },
    control: (path, body) => state.control(path, body),
  };
}
