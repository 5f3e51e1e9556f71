// Fake IAM (AWS Query protocol, Version 2010-05-08) for the roles Redshift
// assumes, and fake STS GetCallerIdentity. Policy documents come back
// URL-encoded, as IAM returns them.
import {
  type ControlPlaneService,
  type ControlPlaneState,
  type FakeRole,
  type XmlNode,
  FAKE_ACCOUNT,
  FAKE_CALLER_ARN,
  FakeAwsError,
  formTags,
  isoTime,
  randomSuffix,
  type QueryOperation,
  queryProtocolService,
} from './control-plane.js';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

function roleXml(role: FakeRole): XmlNode[] {
  return [
    ['Path', role.path],
    ['RoleName', role.name],
    ['RoleId', role.id],
    ['Arn', role.arn],
    ['CreateDate', isoTime(role.createdAt)],
    ['AssumeRolePolicyDocument', encodeURIComponent(role.assumeRolePolicyDocument)],
    ['Description', role.description],
    ['MaxSessionDuration', 3600],
    ['Tags', Object.entries(role.tags).map(([key, value]): XmlNode => ['member', [['Key', key], ['Value', value]]])],
  ];
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new FakeAwsError('ValidationError', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function policyJson(text: string): string {
  try {
    const parsed = JSON.parse(text) as { Statement?: unknown };
    if (!parsed || typeof parsed !== 'object' || !parsed.Statement) throw new Error('no Statement');
  } catch {
    throw new FakeAwsError('MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  return text;
}

export function createIamService(state: ControlPlaneState): ControlPlaneService {
  function role(form: URLSearchParams): FakeRole {
    const name = required(form, 'RoleName');
    const found = state.roles.get(name);
    if (!found) throw new FakeAwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    return found;
  }

  const operations: Record<string, QueryOperation> = {
    CreateRole(form) {
      const name = required(form, 'RoleName');
      if (!ROLE_NAME.test(name)) throw new FakeAwsError('ValidationError', `Invalid role name: ${name}`);
      if (state.roles.has(name)) throw new FakeAwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
      const path = form.get('Path') ?? '/';
      const created: FakeRole = {
        name,
        id: `AROA${randomSuffix(17).toUpperCase()}`,
        arn: `arn:aws:iam::${FAKE_ACCOUNT}:role${path}${name}`,
        path,
        description: form.get('Description') ?? undefined,
        assumeRolePolicyDocument: policyJson(required(form, 'AssumeRolePolicyDocument')),
        createdAt: state.now(),
        inlinePolicies: {},
        attachedPolicies: [],
        tags: formTags(form),
      };
      state.roles.set(name, created);
      return [['Role', roleXml(created)]];
    },
    GetRole(form) {
      return [['Role', roleXml(role(form))]];
    },
    PutRolePolicy(form) {
      const target = role(form);
      const policyName = required(form, 'PolicyName');
      if (!POLICY_NAME.test(policyName)) throw new FakeAwsError('ValidationError', `Invalid policy name: ${policyName}`);
      target.inlinePolicies[policyName] = policyJson(required(form, 'PolicyDocument'));
      return undefined;
    },
    GetRolePolicy(form) {
      const target = role(form);
      const policyName = required(form, 'PolicyName');
      const document = target.inlinePolicies[policyName];
      if (document === undefined) {
        throw new FakeAwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`, 404);
      }
      return [
        ['RoleName', target.name],
        ['PolicyName', policyName],
        ['PolicyDocument', encodeURIComponent(document)],
      ];
    },
    DeleteRolePolicy(form) {
      const target = role(form);
      const policyName = required(form, 'PolicyName');
      if (target.inlinePolicies[policyName] === undefined) {
        throw new FakeAwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`, 404);
      }
      delete target.inlinePolicies[policyName];
      return undefined;
    },
    ListRolePolicies(form) {
      const target = role(form);
      return [
        ['PolicyNames', Object.keys(target.inlinePolicies).map((name): XmlNode => ['member', name])],
        ['IsTruncated', false],
      ];
    },
    AttachRolePolicy(form) {
      const target = role(form);
      const arn = required(form, 'PolicyArn');
      if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(arn)) throw new FakeAwsError('InvalidInput', `ARN ${arn} is not valid.`);
      if (!target.attachedPolicies.includes(arn)) target.attachedPolicies.push(arn);
      return undefined;
    },
    DetachRolePolicy(form) {
      const target = role(form);
      const arn = required(form, 'PolicyArn');
      if (!target.attachedPolicies.includes(arn)) throw new FakeAwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      target.attachedPolicies = target.attachedPolicies.filter((a) => a !== arn);
      return undefined;
    },
    ListAttachedRolePolicies(form) {
      const target = role(form);
      return [
        [
          'AttachedPolicies',
          target.attachedPolicies.map((arn): XmlNode => ['member', [['PolicyName', arn.split('/').pop() ?? arn], ['PolicyArn', arn]]]),
        ],
        ['IsTruncated', false],
      ];
    },
    DeleteRole(form) {
      const target = role(form);
      if (Object.keys(target.inlinePolicies).length > 0) {
        throw new FakeAwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
      }
      if (target.attachedPolicies.length > 0) {
        throw new FakeAwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      }
      state.roles.delete(target.name);
      return undefined;
    },
  };

  return queryProtocolService({ name: 'iam', state, version: '2010-05-08', namespace: IAM_NAMESPACE, operations });
}

export function createStsService(state: ControlPlaneState): ControlPlaneService {
  return queryProtocolService({
    name: 'sts',
    state,
    version: '2011-06-15',
    namespace: STS_NAMESPACE,
    operations: {
      GetCallerIdentity: () => [
        ['Arn', FAKE_CALLER_ARN],
        ['UserId', 'AIDAFAKEUSERID000001'],
        ['Account', FAKE_ACCOUNT],
      ],
    },
  });
}
