// What the cluster, serverless and import commands share: flags, the AWS
// scope from flags and config, the questions they ask before anything that
// costs or destroys, and how progress is printed.
import { createInterface } from 'node:readline/promises';
import type { SourceSettings, SparkifyConfig } from '../pipeline/config.js';
import { CancelledError, UsageError } from '../pipeline/errors.js';
import { plainColumns } from '../pipeline/plain-table.js';
import type { AwsScope } from '../pipeline/provision/aws.js';
import type { ProvisionProgress } from '../pipeline/provision/cluster.js';
import { CLUSTER_DEFAULTS } from '../pipeline/provision/defaults.js';
import { validateRegion } from '../pipeline/provision/regions.js';
import { type S3Location, resolveS3Sources, sourceLocations } from '../pipeline/provision/role.js';
import type { ServerlessProgress } from '../pipeline/provision/serverless.js';

export interface AwsFlags {
  region?: string;
  profile?: string;
}

export interface SourceFlags {
  songData?: string;
  logData?: string;
  logJsonpaths?: string;
  sourceRegion?: string;
  sourceBucket?: string[];
  /** s3:// prefix where incremental runs write COPY manifests; the role may read it. */
  manifestPrefix?: string;
  roleName?: string;
}

export interface WaitFlags {
  wait?: boolean;
  interval: number;
}

export function out(line = ''): void {
  process.stdout.write(line + '\n');
}

export function requireTerminal(what: string): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(`refusing to ${what} without confirmation: there is no terminal to ask on`, 'pass --yes to confirm from a script');
  }
}

/** One line typed at a prompt; Ctrl-C there is "not confirmed". */
async function ask(question: string): Promise<string> {
  // After the app, Ink has let go of stdin (unref): without this the process would end at the question.
  process.stdin.ref();
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const interrupted = new AbortController();
  prompt.once('SIGINT', () => interrupted.abort());
  try {
    const answer = await prompt.question(question, { signal: interrupted.signal }).catch(() => undefined);
    if (answer === undefined) throw new CancelledError('not confirmed: nothing was changed');
    return answer.trim();
  } finally {
    prompt.close();
  }
}

export async function confirm(question: string, yes: boolean | undefined, what: string): Promise<void> {
  if (yes) return;
  requireTerminal(what);
  if (!/^y(es)?$/i.test(await ask(`${question} [y/N] `))) throw new CancelledError('not confirmed: nothing was changed');
}

/** A yes/no question with a default, asked only on a terminal. */
export async function askYesNo(question: string, byDefault: boolean): Promise<boolean> {
  const answer = await ask(`${question} ${byDefault ? '[Y/n]' : '[y/N]'} `);
  return answer === '' ? byDefault : /^y(es)?$/i.test(answer);
}

/** For what cannot be undone: the person types the name of what goes. */
export async function confirmByName(question: string, name: string, what: string): Promise<void> {
  requireTerminal(what);
  out(question);
  const typed = await ask(`Type ${name} to confirm: `);
  if (typed !== name) throw new CancelledError(typed === '' ? 'not confirmed: nothing was changed' : `"${typed}" is not ${name}: nothing was changed`);
}

export function regionFor(flags: AwsFlags, config: SparkifyConfig, identifier?: string): string {
  if (flags.region) {
    validateRegion(flags.region);
    return flags.region;
  }
  if (identifier && config.cluster?.identifier === identifier) return config.cluster.region;
  return config.redshift.region ?? CLUSTER_DEFAULTS.region;
}

export function scopeFor(flags: AwsFlags, config: SparkifyConfig, identifier?: string): AwsScope {
  const profile = flags.profile ?? config.redshift.profile;
  return { region: regionFor(flags, config, identifier), ...(profile ? { profile } : {}) };
}

export function describeLocations(locations: S3Location[]): string {
  return locations.map((l) => `s3://${l.bucket}/${l.prefix}${l.manifests ? ' (COPY manifests)' : ''}`).join(', ');
}

export function sourcesFor(flags: SourceFlags, config: SparkifyConfig, region: string): { sources: SourceSettings; locations: S3Location[]; manifestPrefix?: string } {
  const sources = resolveS3Sources(flags, config.sources, region);
  const manifestPrefix = flags.manifestPrefix ?? config.redshift.manifestPrefix;
  return { sources, locations: sourceLocations(sources, flags.sourceBucket ?? [], manifestPrefix), manifestPrefix };
}

export function describeSources(sources: SourceSettings): string {
  const jsonpaths = sources.logJsonpaths ? `, jsonpaths ${sources.logJsonpaths}` : '';
  return `Sources: songs ${sources.songData}, events ${sources.logData}${jsonpaths}.`;
}

export function printProgress(progress: ProvisionProgress | ServerlessProgress): void {
  out(`  ${progress.step.padEnd(12)} ${progress.outcome === 'checked' || progress.outcome === 'updated' ? '' : progress.outcome + ' '}${progress.detail}`);
}

/** Keeps Ctrl-C during create from looking like a failure: it says how to carry on. */
export function explainInterrupt(error: unknown, again: string): never {
  if (error instanceof CancelledError) {
    throw new CancelledError(`stopped before the end: run \`${again}\` again to pick up where it left off`);
  }
  throw error;
}

/** `label     value` rows; a value of several lines continues under the first. */
export function printRows(rows: [string, string | string[]][]): void {
  for (const line of plainColumns(rows)) out(line);
}

export function timestamp(date: Date): string {
  return date.toISOString().slice(11, 19);
}
