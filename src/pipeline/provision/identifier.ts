// Redshift's rule for cluster identifiers, in a module of its own so the
// config import can check one without loading the AWS clients.
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;

/** 1-63 lower-case letters, digits and single hyphens, starting with a letter, not ending with a hyphen. */
export function isClusterIdentifier(identifier: string): boolean {
  return IDENTIFIER.test(identifier) && !identifier.endsWith('-');
}

export const CLUSTER_IDENTIFIER_RULE = 'use 1-63 lower-case letters, digits and single hyphens, starting with a letter (e.g. sparkify-dwh)';
