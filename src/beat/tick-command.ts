export async function runTickCommand(_opts: { json: boolean; dryRun: boolean }): Promise<number> {
  process.stderr.write('looop: tick not built yet\n');
  return 1;
}
