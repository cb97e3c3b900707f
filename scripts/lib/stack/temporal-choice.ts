import { TEMPORAL_SERVER_VERSION } from '../cluster/temporal-build';
import { NAMESPACE_RETENTION_MS } from '../cluster/temporal-cluster';
import type { OwnCluster } from './stack';

/** What a lab run (the bench, the drills) stands on: the CLI's dev server, or the real server on PostgreSQL. */
export const temporalChoices = ['dev-server', 'postgres'] as const;
export type TemporalChoice = (typeof temporalChoices)[number];

/** `--temporal`'s value, the dev server when absent. */
export function readTemporalChoice(text: string | undefined, usage: string): TemporalChoice {
  if (text === undefined) return 'dev-server';
  if ((temporalChoices as readonly string[]).includes(text)) return text as TemporalChoice;
  throw new Error(`--temporal takes ${temporalChoices.join(' or ')}, not "${text}"\n${usage}`);
}

/** A lab run's cluster: headless, with the dev server's retention. */
export const LAB_CLUSTER: OwnCluster = { cluster: { retentionMs: NAMESPACE_RETENTION_MS, ui: null } };

/** How a run's results name the cluster, beside the dev server's own description. */
export const LAB_CLUSTER_DESCRIPTION = `Temporal server ${TEMPORAL_SERVER_VERSION} on a private PostgreSQL (scripts/lib/cluster), headless`;
