export async function createTablesCommand(_o: unknown): Promise<number> { return 1; }
export async function etlCommand(_o: unknown): Promise<number> { return 1; }
export async function runCommand(_o: unknown): Promise<number> { return 1; }
