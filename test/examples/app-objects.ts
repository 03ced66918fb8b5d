import { App, Testing } from 'cdk8s';
import { synthObjects } from '../support';

/** An example added to a fresh app, synthesized chart by chart (the files `npm run synth` writes). */
export function objectsOf(add: (app: App) => void): { app: App; objects: any[]; byChart: Record<string, any[]> } {
  const app = Testing.app();
  add(app);
  const byChart: Record<string, any[]> = {};
  for (const chart of app.charts) byChart[chart.node.id] = synthObjects(chart);
  return { app, objects: Object.values(byChart).flat(), byChart };
}

/** `Kind/name` of each object, sorted. */
export const names = (objects: any[]): string[] => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
