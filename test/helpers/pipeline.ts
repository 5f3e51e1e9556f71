// Runs the real plan on a real warehouse and collects the events.
import { buildPlan, type PlanOptions } from '../../src/pipeline/plan.js';
import { runPipeline, type RunOptions } from '../../src/pipeline/runner.js';
import type { PipelineEvent } from '../../src/pipeline/events.js';
import type { Row, Warehouse } from '../../src/pipeline/warehouse/types.js';

export async function runAll(warehouse: Warehouse, plan: PlanOptions, options: RunOptions & { onEvent?: (e: PipelineEvent) => void } = {}) {
  const events: PipelineEvent[] = [];
  for await (const event of runPipeline(warehouse, await buildPlan(plan), options)) {
    events.push(event);
    options.onEvent?.(event);
  }
  const finished = events.at(-1);
  if (finished?.type !== 'run-finished') throw new Error('the run did not finish');
  return { events, finished };
}

export async function rows(warehouse: Warehouse, sql: string): Promise<Row[]> {
  const result = await warehouse.query(sql);
  const out: Row[] = [];
  for await (const page of result.pages()) out.push(...page);
  return out;
}
