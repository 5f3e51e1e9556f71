// What sparkify provisions when told nothing else, and the course bucket it
// reads by default: one home, read by the commands, the cluster screen and the
// setup wizard alike. The node type, minimums and prices were checked against
// the Redshift management guide and the pricing page (see prices.json).

/** The course data: s3://udacity-dend, in us-west-2. */
export const COURSE_BUCKET = 'udacity-dend';
export const COURSE_BUCKET_REGION = 'us-west-2';
export const COURSE_SOURCES = {
  songData: `s3://${COURSE_BUCKET}/song_data`,
  logData: `s3://${COURSE_BUCKET}/log_data`,
  logJsonpaths: `s3://${COURSE_BUCKET}/log_json_path.json`,
} as const;

/** True when a source URI points into the course bucket. */
export function readsCourseBucket(uri: string | undefined): boolean {
  return uri?.startsWith(`s3://${COURSE_BUCKET}/`) ?? false;
}

/**
 * A provisioned cluster: the smallest current RA3 node (DC2 is deprecated),
 * one node (single-node), next to the course data.
 */
export const CLUSTER_DEFAULTS = {
  nodeType: 'ra3.large',
  nodes: 1,
  region: COURSE_BUCKET_REGION,
  database: 'sparkify',
  dbUser: 'awsuser',
} as const;

export type UsageBreachAction = 'log' | 'emit-metric' | 'deactivate';
export const USAGE_BREACH_ACTIONS: readonly UsageBreachAction[] = ['log', 'emit-metric', 'deactivate'];

/**
 * A Serverless workgroup at the smallest base capacity, with a daily cap on
 * RPU-hours so a forgotten workgroup cannot run up a bill: past it, user
 * queries are turned off until the next day (`deactivate`, the one breach
 * action that stops queries; AWS also sends a notification).
 */
export const SERVERLESS_DEFAULTS = {
  workgroup: 'sparkify',
  baseCapacity: 4,
  region: COURSE_BUCKET_REGION,
  database: 'sparkify',
  adminUser: 'awsuser',
  usageLimitRpuHours: 8,
  usagePeriod: 'daily',
  breachAction: 'deactivate' as UsageBreachAction,
} as const;

/** Redshift Serverless base capacity: 4 RPU, 8-512 in steps of 8, or 512-1024 in steps of 32 (larger regions only). */
export function baseCapacityProblem(rpu: number): string | null {
  const ok = Number.isInteger(rpu) && (rpu === 4 || (rpu >= 8 && rpu <= 512 && rpu % 8 === 0) || (rpu > 512 && rpu <= 1024 && rpu % 32 === 0));
  return ok ? null : `base capacity must be 4 RPU, 8 to 512 in steps of 8, or up to 1024 in steps of 32; not ${rpu}`;
}

/** Minutes without a statement after which quitting the app offers to pause a cluster sparkify created. */
export const IDLE_PAUSE_MINUTES = 30;

/** The source region COPY needs: the course bucket's when the sources are there and the warehouse is elsewhere. */
export function courseSourceRegion(sources: { songData?: string; logData?: string }, warehouseRegion: string | undefined): string | undefined {
  const fromCourse = readsCourseBucket(sources.songData) || readsCourseBucket(sources.logData);
  return fromCourse && warehouseRegion !== undefined && warehouseRegion !== COURSE_BUCKET_REGION ? COURSE_BUCKET_REGION : undefined;
}
