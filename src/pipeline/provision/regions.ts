// AWS region names as the SDK knows them (its endpoint partitions), so a
// misspelt region is refused before any call goes out under it.
import { partition } from '@aws-sdk/core/client';
import { UsageError } from '../errors.js';

/** True for a region the SDK lists by name (us-west-2), false for one it would only guess at (us-wset-2). */
export function isKnownRegion(region: string): boolean {
  return 'description' in partition(region);
}

export function regionProblem(region: string): string | null {
  return isKnownRegion(region) ? null : `not an AWS region: ${region} (e.g. us-west-2, us-east-1, eu-west-1)`;
}

export function validateRegion(region: string): void {
  const problem = regionProblem(region);
  if (problem) throw new UsageError(problem, 'check the spelling of --region (the region names are on the AWS console, top right)');
}
