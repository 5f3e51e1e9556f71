// The rows each file of a load gave, kept in the warehouse file as Redshift
// keeps them: `stl_load_commits` (Redshift's columns; lines_scanned is the
// rows the file gave), written in the load's transaction, so a load that was
// rolled back leaves no rows there. The ledger reads it for loaded_files.
import { quoteLiteral } from '../sql/tokenizer.js';
import type { LoadTarget } from './copy-load.js';

export const CREATE_LOAD_COMMITS = `CREATE TABLE IF NOT EXISTS main.stl_load_commits (
  userid INTEGER, query INTEGER, slice INTEGER, name VARCHAR, filename VARCHAR, byte_offset INTEGER,
  lines_scanned BIGINT, errors INTEGER, curtime TIMESTAMP, status INTEGER)`;
/** Serverless's view of the same, in the SYS view's names, so the ledger's SQL for a workgroup runs locally too. */
export const CREATE_LOAD_DETAIL = `CREATE VIEW IF NOT EXISTS main.sys_load_detail AS SELECT
  userid AS user_id, query AS query_id, filename AS file_name, lines_scanned, curtime AS record_time FROM main.stl_load_commits`;

export interface FileRows {
  /** As the COPY names it. */
  file: string;
  rows: number;
}

/** Rows per statement: a long statement is slower to parse than a few shorter ones. */
const ROWS_PER_INSERT = 1000;

/**
 * Records the files of one load as their batches are inserted, so a load of a
 * million files never holds a million records: every batch is one query in
 * stl_load_commits, as a COPY is one query on Redshift.
 */
export class LoadCommits {
  private query: Promise<string | null> | undefined;

  constructor(
    private readonly target: LoadTarget,
    private readonly table: string,
  ) {}

  async record(files: FileRows[]): Promise<void> {
    if (files.length === 0) return;
    this.query ??= this.target.run(CREATE_LOAD_COMMITS).then(() => this.target.run(CREATE_LOAD_DETAIL)).then(async () => (await this.target.rows('SELECT coalesce(max(query), 0) + 1 FROM main.stl_load_commits'))[0][0]);
    const query = await this.query;
    // The names and counts as two lists unnested side by side: DuckDB binds a
    // VALUES list row by row, about 5x slower for 1,000 files (bench/RESULTS.md).
    for (let i = 0; i < files.length; i += ROWS_PER_INSERT) {
      const some = files.slice(i, i + ROWS_PER_INSERT);
      const names = some.map((f) => quoteLiteral(f.file)).join(', ');
      const rows = some.map((f) => f.rows).join(', ');
      await this.target.run(
        `INSERT INTO main.stl_load_commits SELECT 0, ${query}, 0, ${quoteLiteral(this.table)}, unnest([${names}]), 0, unnest([${rows}]), 0, current_localtimestamp(), 0`,
      );
    }
  }
}
