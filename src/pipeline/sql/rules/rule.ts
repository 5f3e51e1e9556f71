// The shape of one rewrite rule: the rewrite is the list of these, applied in order.
import type { CopySpec } from '../copy.js';
import type { Token } from '../tokenizer.js';
import type { ColumnAlter } from './alter-table.js';
import type { TableNotes } from '../table-notes.js';

export interface RewriteContext {
  /** The statement as written. */
  readonly sql: string;
  /** Statements to run before the rewritten one (e.g. the sequence an IDENTITY column needs). */
  readonly setup: string[];
  /** Statements to run after it (e.g. the comments that keep declared column lengths). */
  readonly after: string[];
  /** Calls to functions not in the list of Redshift functions the local engine runs (lower case). */
  readonly unlistedCalls: string[];
  /** Table functions Redshift does not have, called as FROM items (lower case). */
  readonly unlistedTableCalls: string[];
  /** Set by the alter-table rule: the statement does nothing locally (a storage or constraint action). */
  noOp?: boolean;
  /** Set by the alter-table rule: a column action, which the local engine runs on a copy of a table with an IDENTITY column. */
  columnAlter?: ColumnAlter;
  /** Set by the storage and character-length rules: what the table's comment keeps of a CREATE TABLE. */
  tableNotes?: { table: string; notes: TableNotes };
  /** Set by the copy rule: the statement is a COPY, loaded by the local loader instead of run. */
  copy?: CopySpec;
}

export interface RewriteRule {
  name: string;
  /** What it does, in a sentence. */
  does: string;
  apply(tokens: Token[], context: RewriteContext): Token[];
}
