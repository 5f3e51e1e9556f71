// The plan built from the model: every step has statements, dependencies name
// earlier steps of the same plan (so they form a graph without cycles), and
// the roles the runner reads are where the model says.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../src/pipeline/plan.js';
import { STEPS, STEP_IDS, STAGING_TABLES, stepsFor, type PlanScope, type RunMode } from '../src/pipeline/model.js';

const sources = { songData: '/data/song_data', logData: '/data/log_data' };

describe('the plan', () => {
  const increment = { songManifest: '/m/songs.manifest', logManifest: '/m/events.manifest' };
  it.each<[PlanScope, RunMode]>([
    ['create-tables', 'full'],
    ['etl', 'full'],
    ['run', 'full'],
    ['run', 'incremental'],
  ])('%s (%s): every step has statements and depends only on earlier steps', async (scope, mode) => {
    const steps = await buildPlan({ scope, mode, sources, increment });
    expect(steps.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const step of steps) {
      expect(step.statements.length, step.id).toBeGreaterThan(0);
      for (const dep of step.dependsOn) expect(seen.has(dep), `${step.id} depends on ${dep}`).toBe(true);
      seen.add(step.id);
      expect(new Set(step.statements.map((s) => s.id)).size).toBe(step.statements.length);
    }
  });

  it('names every step once, and every dependency is a step of the model', () => {
    expect(new Set(STEP_IDS).size).toBe(STEP_IDS.length);
    for (const step of STEPS) for (const dep of step.dependsOn) expect(STEP_IDS).toContain(dep);
  });

  it.each<RunMode>(['full', 'incremental'])('%s: stages each staging table in exactly one step, which the refresh depends on', async (mode) => {
    const steps = await buildPlan({ scope: 'run', mode, sources, increment });
    const stage = stepsFor('run', mode).filter((s) => s.role === 'stage');
    expect(stage.map((s) => s.table).sort()).toEqual([...STAGING_TABLES].sort());
    const refresh = steps.filter((s) => s.role === 'refresh');
    expect(refresh).toHaveLength(1);
    for (const s of stage) expect(refresh[0].dependsOn).toContain(s.id);
    expect(refresh[0].atomic).toBe(true);
    expect(refresh[0].guard).toBeDefined();
  });
});
