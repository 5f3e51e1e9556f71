// What AWS bills a provisioned cluster for compute: node-hours, per second,
// while the cluster is up; nothing while it is paused, when only its storage
// bills (Redshift Managed Storage per GB-month on RA3). When it paused and
// resumed comes from the cluster's event history (DescribeEvents), which
// Redshift keeps for 14 days: before that window the cluster is taken to have
// run, so the figure stays an upper bound, never an undercount.
import { awsCall, awsClients } from './aws.js';
import type { ClusterRef } from './cluster.js';

/** How long Redshift keeps events, and so how far back DescribeEvents reaches. */
const EVENT_WINDOW_MS = 14 * 24 * 3_600_000;

export interface PowerChange {
  at: Date;
  change: 'paused' | 'resumed';
}

/** A cluster's pauses and resumes since `since` (the start of the event window, or its creation if later). */
export interface PowerHistory {
  since: Date;
  changes: PowerChange[];
}

/**
 * A pause or resume among a cluster's events. Redshift words them "... has
 * been paused" and "... has been resumed" (management events of the cluster);
 * the pausing and resuming that lead up to them bill as time up.
 */
function powerChange(message: string | undefined): PowerChange['change'] | undefined {
  if (!message) return undefined;
  if (/\bhas been paused\b/i.test(message)) return 'paused';
  if (/\bhas been resumed\b/i.test(message)) return 'resumed';
  return undefined;
}

/** The cluster's pauses and resumes from its event history, oldest first. */
export async function clusterPowerHistory(ref: ClusterRef, createdAt: Date | undefined, now: Date, signal?: AbortSignal): Promise<PowerHistory> {
  const since = new Date(Math.max(createdAt?.getTime() ?? 0, now.getTime() - EVENT_WINDOW_MS));
  const redshift = await awsClients(ref).redshift();
  const { DescribeEventsCommand } = await import('@aws-sdk/client-redshift');
  const changes: PowerChange[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall('redshift:DescribeEvents', ref, () =>
      redshift.send(
        new DescribeEventsCommand({ SourceType: 'cluster', SourceIdentifier: ref.identifier, StartTime: since, Marker: marker, MaxRecords: 100 }),
        { abortSignal: signal },
      ),
    );
    for (const event of page.Events ?? []) {
      const change = powerChange(event.Message);
      if (change && event.Date) changes.push({ at: event.Date, change });
    }
    marker = page.Marker;
  } while (marker);
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { since, changes };
}

export interface BilledTime {
  /** Hours billed for compute since creation. */
  upHours: number;
  /** Hours paused (storage only) since creation. */
  pausedHours: number;
}

/**
 * Up and paused hours since `createdAt`. Without a history, every hour counts
 * as up. With one, the cluster is up from creation until a pause and from each
 * resume on; one still paused whose pause is older than the window was paused
 * since the window began.
 */
export function billedTime(createdAt: Date, status: string, history: PowerHistory | undefined, now: Date): BilledTime {
  const total = Math.max(0, now.getTime() - createdAt.getTime());
  if (!history) return { upHours: total / 3_600_000, pausedHours: 0 };
  const changes = history.changes.filter((c) => c.at >= createdAt && c.at <= now);
  const pausedAtStart = changes.length > 0 ? changes[0].change === 'resumed' : status === 'paused';
  let paused = pausedAtStart;
  let from = Math.max(createdAt.getTime(), history.since.getTime());
  let pausedMs = 0;
  for (const { at, change } of changes) {
    if (paused) pausedMs += at.getTime() - from;
    paused = change === 'paused';
    from = at.getTime();
  }
  if (paused) pausedMs += now.getTime() - from;
  return { upHours: (total - pausedMs) / 3_600_000, pausedHours: pausedMs / 3_600_000 };
}
