export async function queryCommand(_sql: string, _o: unknown): Promise<number> { return 1; }
