import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;

/** A history as plain JSON (enum names, 64-bit numbers and bytes as strings), for fixtures a reviewer can read. */
export function historyAsJson(history: temporal.api.history.v1.IHistory): Record<string, unknown> {
  return History.toObject(History.fromObject(history), { enums: String, longs: String, bytes: String });
}

export function historyFromJson(json: Record<string, unknown>): temporal.api.history.v1.History {
  return History.fromObject(json);
}
