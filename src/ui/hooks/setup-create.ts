// The wizard's new Serverless workgroup: the same provisioning core as
// `sparkify serverless create` (role, namespace, workgroup at the minimum base
// capacity, the default usage limit), then the config points at it.
import type { SparkifyConfig } from '../../pipeline/config.js';
import { ConfigStore } from '../../pipeline/config-store.js';
import { SparkifyError } from '../../pipeline/errors.js';
import { priceTable } from '../../pipeline/provision/cost.js';
import { SERVERLESS_DEFAULTS } from '../../pipeline/provision/defaults.js';
import { serverlessOffer, usageLimitLine } from '../../pipeline/provision/offers.js';
import type { CheckResult } from './setup-checks.js';
import type { SetupDraft } from './setup-steps.js';

export interface CreatedTarget {
  config: SparkifyConfig;
  path: string;
  lines: string[];
}

/**
 * Creates the draft's workgroup, reporting each step as a passed check, and
 * saves it as the target. Safe to run again: what already exists is reused.
 */
export async function createDraftWorkgroup(
  draft: SetupDraft,
  previous: SparkifyConfig | null,
  onStep: (step: CheckResult) => void,
  signal: AbortSignal,
): Promise<CreatedTarget> {
  const [{ createServerless }, { resolveS3Sources, sourceLocations, defaultRoleName }, { rememberServerless }] = await Promise.all([
    import('../../pipeline/provision/serverless.js'),
    import('../../pipeline/provision/role.js'),
    import('../../pipeline/provision/record.js'),
  ]);
  const workgroup = draft.newWorkgroup ?? SERVERLESS_DEFAULTS.workgroup;
  const region = draft.region ?? SERVERLESS_DEFAULTS.region;
  const prices = priceTable(previous?.prices);
  const offer = serverlessOffer(prices, region);
  const sources = resolveS3Sources({}, previous?.sources ?? {}, region);
  const manifestPrefix = previous?.redshift.manifestPrefix;
  const created = await createServerless(
    {
      region,
      profile: draft.profile,
      workgroup,
      namespace: workgroup,
      baseCapacity: offer.baseCapacity,
      usageLimit: offer.usageLimit,
      database: SERVERLESS_DEFAULTS.database,
      adminUser: SERVERLESS_DEFAULTS.adminUser,
      roleName: defaultRoleName(workgroup),
      locations: sourceLocations(sources, [], manifestPrefix),
    },
    { signal, onProgress: (p) => onStep({ name: p.step, ok: true, detail: `${p.outcome} ${p.detail}` }) },
  );
  const store = new ConfigStore();
  const config = rememberServerless(store, created, { database: SERVERLESS_DEFAULTS.database, profile: draft.profile, manifestPrefix }, sources);
  return {
    config,
    path: store.path,
    lines: [
      `workgroup ${workgroup} in ${region}: ${offer.summary}`,
      `usage limit: ${usageLimitLine(offer.usageLimit, prices)}`,
      `database ${created.snapshot.database ?? SERVERLESS_DEFAULTS.database}; role ${created.role.name} reads the sources`,
    ],
  };
}

/** A failed creation as the last line of its list: what happened, and what to do. */
export function creationFailure(error: unknown): CheckResult {
  const hint = error instanceof SparkifyError ? error.hint : undefined;
  return { name: 'creating', ok: false, detail: (error as Error)?.message ?? String(error), hint };
}
