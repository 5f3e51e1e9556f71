// Fake Amazon Redshift Serverless (AWS JSON 1.1, X-Amz-Target
// RedshiftServerless.<Operation>): namespaces, workgroups and their usage limits.
import type { FakeRequest, FakeResponse } from './server.js';
import {
  type ControlPlaneService,
  type ControlPlaneState,
  type FakeNamespace,
  type FakeUsageLimit,
  type FakeWorkgroup,
  FAKE_ACCOUNT,
  FakeAwsError,
  GONE,
  faultError,
  isoTime,
  jsonError,
  jsonResponse,
  randomSuffix,
  requireSignature,
  signingRegion,
} from './control-plane.js';

const PREFIX = 'RedshiftServerless.';
const NAME = /^[a-z0-9-]{3,64}$/;

/** As the management guide states it: 4, 8-512 in steps of 8, 512-1024 in steps of 32. */
function validBaseCapacity(rpu: number): boolean {
  return rpu === 4 || (rpu >= 8 && rpu <= 512 && rpu % 8 === 0) || (rpu > 512 && rpu <= 1024 && rpu % 32 === 0);
}

function namespaceJson(namespace: FakeNamespace): Record<string, unknown> {
  return {
    namespaceArn: namespace.arn,
    namespaceId: namespace.id,
    namespaceName: namespace.name,
    adminUsername: namespace.adminUsername,
    dbName: namespace.dbName,
    defaultIamRoleArn: namespace.defaultIamRoleArn,
    iamRoles: namespace.iamRoles,
    logExports: [],
    status: namespace.status,
    creationDate: isoTime(namespace.createdAt),
    adminPasswordSecretArn: namespace.adminPasswordSecretArn,
  };
}

function workgroupJson(workgroup: FakeWorkgroup): Record<string, unknown> {
  return {
    workgroupId: workgroup.id,
    workgroupArn: workgroup.arn,
    workgroupName: workgroup.name,
    namespaceName: workgroup.namespaceName,
    baseCapacity: workgroup.baseCapacity,
    enhancedVpcRouting: false,
    publiclyAccessible: workgroup.publiclyAccessible,
    status: workgroup.status,
    endpoint:
      workgroup.status === 'CREATING'
        ? undefined
        : {
            address: `${workgroup.name}.${FAKE_ACCOUNT}.${workgroup.region}.redshift-serverless.amazonaws.com`,
            port: 5439,
            vpcEndpoints: [],
          },
    creationDate: isoTime(workgroup.createdAt),
    port: 5439,
  };
}

function usageLimitJson(limit: FakeUsageLimit): Record<string, unknown> {
  return {
    usageLimitId: limit.id,
    usageLimitArn: limit.arn,
    resourceArn: limit.resourceArn,
    usageType: limit.usageType,
    amount: limit.amount,
    period: limit.period,
    breachAction: limit.breachAction,
  };
}

/** An optional text field of a request: the fallback when it is absent (the SDK sends strings). */
function optionalText(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function requiredName(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw new FakeAwsError('ValidationException', `${key} is required`);
  if (!NAME.test(value)) throw new FakeAwsError('ValidationException', `${key} must be 3-64 lower-case letters, digits or hyphens`);
  return value;
}

export function createServerlessService(state: ControlPlaneState): ControlPlaneService {
  function namespace(name: string): FakeNamespace {
    const found = state.namespaces.get(name);
    if (!found) throw new FakeAwsError('ResourceNotFoundException', `namespace ${name} not found`);
    return found;
  }
  function workgroup(name: string): FakeWorkgroup {
    const found = state.workgroups.get(name);
    if (!found) throw new FakeAwsError('ResourceNotFoundException', `Workgroup ${name} not found`);
    return found;
  }

  const operations: Record<string, (input: Record<string, unknown>, region: string) => unknown> = {
    CreateNamespace(input, region) {
      const name = requiredName(input, 'namespaceName');
      if (state.namespaces.has(name)) throw new FakeAwsError('ConflictException', `Namespace with name ${name} already exists`);
      const manageAdminPassword = input.manageAdminPassword === true;
      if (input.adminUserPassword !== undefined && manageAdminPassword) {
        throw new FakeAwsError('ValidationException', 'You can not provide both adminUserPassword and manageAdminPassword');
      }
      const id = `${randomSuffix(8)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(12)}`;
      const created: FakeNamespace = {
        name,
        id,
        arn: `arn:aws:redshift-serverless:${region}:${FAKE_ACCOUNT}:namespace/${id}`,
        region,
        dbName: typeof input.dbName === 'string' ? input.dbName : 'dev',
        adminUsername: typeof input.adminUsername === 'string' ? input.adminUsername : undefined,
        manageAdminPassword,
        adminPasswordSecretArn: manageAdminPassword
          ? `arn:aws:secretsmanager:${region}:${FAKE_ACCOUNT}:secret:redshift!${name}-admin-${randomSuffix(6)}`
          : undefined,
        iamRoles: Array.isArray(input.iamRoles) ? (input.iamRoles as string[]) : [],
        defaultIamRoleArn: typeof input.defaultIamRoleArn === 'string' ? input.defaultIamRoleArn : undefined,
        status: 'AVAILABLE',
        createdAt: state.now(),
      };
      state.namespaces.set(name, created);
      return { namespace: namespaceJson(created) };
    },
    GetNamespace(input) {
      return { namespace: namespaceJson(namespace(requiredName(input, 'namespaceName'))) };
    },
    DeleteNamespace(input) {
      const target = namespace(requiredName(input, 'namespaceName'));
      const using = [...state.workgroups.values()].find((w) => w.namespaceName === target.name);
      if (using) {
        throw new FakeAwsError('ConflictException', `There are workgroups associated with namespace ${target.name}: delete workgroup ${using.name} first`);
      }
      if (target.status === 'DELETING') throw new FakeAwsError('ConflictException', `Namespace ${target.name} is already being deleted`);
      target.status = 'DELETING';
      target.next = state.transitionTo(GONE);
      return { namespace: namespaceJson(target) };
    },
    CreateWorkgroup(input, region) {
      const name = requiredName(input, 'workgroupName');
      const namespaceName = requiredName(input, 'namespaceName');
      namespace(namespaceName);
      if (state.workgroups.has(name)) throw new FakeAwsError('ConflictException', `Workgroup with name ${name} already exists`);
      const baseCapacity = typeof input.baseCapacity === 'number' ? input.baseCapacity : 128;
      if (!validBaseCapacity(baseCapacity)) {
        throw new FakeAwsError('ValidationException', 'Base capacity must be 4 RPUs, or 8 to 512 RPUs in units of 8, or up to 1024 in units of 32');
      }
      const id = `${randomSuffix(8)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(12)}`;
      const created: FakeWorkgroup = {
        name,
        id,
        arn: `arn:aws:redshift-serverless:${region}:${FAKE_ACCOUNT}:workgroup/${id}`,
        region,
        namespaceName,
        baseCapacity,
        publiclyAccessible: input.publiclyAccessible === true,
        status: 'CREATING',
        next: state.transitionTo('AVAILABLE'),
        createdAt: state.now(),
      };
      state.workgroups.set(name, created);
      return { workgroup: workgroupJson(created) };
    },
    GetWorkgroup(input) {
      return { workgroup: workgroupJson(workgroup(requiredName(input, 'workgroupName'))) };
    },
    ListWorkgroups(input, region) {
      const all = [...state.workgroups.values()].filter((w) => w.region === region).sort((a, b) => a.name.localeCompare(b.name));
      const size = typeof input.maxResults === 'number' ? input.maxResults : 100;
      const start = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
      const page = all.slice(start, start + size);
      return { workgroups: page.map(workgroupJson), nextToken: start + size < all.length ? String(start + size) : undefined };
    },
    CreateUsageLimit(input, region) {
      const resourceArn = typeof input.resourceArn === 'string' ? input.resourceArn : '';
      if (![...state.workgroups.values()].some((w) => w.arn === resourceArn)) {
        throw new FakeAwsError('ResourceNotFoundException', `Resource ${resourceArn} not found`);
      }
      const usageType = optionalText(input.usageType, '');
      if (!['serverless-compute', 'cross-region-datasharing'].includes(usageType)) throw new FakeAwsError('ValidationException', `Invalid usageType ${usageType}`);
      const amount = input.amount;
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) throw new FakeAwsError('ValidationException', 'amount must be a whole number of 1 or more');
      const period = optionalText(input.period, 'monthly');
      if (!['daily', 'weekly', 'monthly'].includes(period)) throw new FakeAwsError('ValidationException', `Invalid period ${period}`);
      const breachAction = optionalText(input.breachAction, 'log');
      if (!['log', 'emit-metric', 'deactivate'].includes(breachAction)) throw new FakeAwsError('ValidationException', `Invalid breachAction ${breachAction}`);
      const same = [...state.usageLimits.values()].filter((l) => l.resourceArn === resourceArn && l.usageType === usageType);
      if (same.some((l) => l.period === period)) throw new FakeAwsError('ConflictException', `A ${period} usage limit already exists for ${resourceArn}`);
      const id = `${randomSuffix(8)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(4)}-${randomSuffix(12)}`;
      const limit: FakeUsageLimit = {
        id,
        arn: `arn:aws:redshift-serverless:${region}:${FAKE_ACCOUNT}:usagelimit/${id}`,
        resourceArn,
        usageType,
        amount,
        period,
        breachAction,
      };
      state.usageLimits.set(id, limit);
      return { usageLimit: usageLimitJson(limit) };
    },
    ListUsageLimits(input) {
      const limits = [...state.usageLimits.values()].filter(
        (l) => (input.resourceArn === undefined || l.resourceArn === input.resourceArn) && (input.usageType === undefined || l.usageType === input.usageType),
      );
      return { usageLimits: limits.map(usageLimitJson) };
    },
    DeleteUsageLimit(input) {
      const limit = state.usageLimits.get(optionalText(input.usageLimitId, ''));
      if (!limit) throw new FakeAwsError('ResourceNotFoundException', `Usage limit ${String(input.usageLimitId)} not found`);
      state.usageLimits.delete(limit.id);
      return { usageLimit: usageLimitJson(limit) };
    },
    DeleteWorkgroup(input) {
      const target = workgroup(requiredName(input, 'workgroupName'));
      if (target.status !== 'AVAILABLE') {
        throw new FakeAwsError('ConflictException', `Workgroup ${target.name} is ${target.status}: it can be deleted once it is AVAILABLE`);
      }
      target.status = 'DELETING';
      target.next = state.transitionTo(GONE);
      for (const limit of state.usageLimits.values()) if (limit.resourceArn === target.arn) state.usageLimits.delete(limit.id);
      return { workgroup: workgroupJson(target) };
    },
  };

  return {
    name: 'redshift-serverless',
    state,
    handles: (request: FakeRequest) => request.target?.startsWith(PREFIX) ?? false,
    handle(request: FakeRequest): FakeResponse {
      const operation = (request.target as string).slice(PREFIX.length);
      try {
        requireSignature(request.headers.authorization);
        const run = operations[operation];
        if (!run) throw new FakeAwsError('UnknownOperationException', `Unknown operation ${operation}`);
        const input = (request.body ? JSON.parse(request.body) : {}) as Record<string, unknown>;
        state.log('redshift-serverless', operation, input);
        const fault = state.takeFault(operation);
        if (fault) throw faultError({ ...fault, code: jsonFaultCode(fault.code) }, 'redshift-serverless', operation);
        state.settle();
        return jsonResponse(run(input, signingRegion(request.headers.authorization)));
      } catch (error) {
        if (error instanceof FakeAwsError) return jsonError(error);
        throw error;
      }
    },
    control: (path, body) => state.control(path, body),
  };
}

/** JSON services name their errors `...Exception`; faults are armed by their short Query names too. */
function jsonFaultCode(code: string): string {
  const map: Record<string, string> = {
    Throttling: 'ThrottlingException',
    AccessDenied: 'AccessDeniedException',
    InsufficientCapacity: 'InsufficientCapacityException',
  };
  return map[code] ?? code;
}
