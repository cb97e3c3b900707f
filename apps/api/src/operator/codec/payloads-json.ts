import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/** Standard or URL-safe base64, padded or not: what protobuf's JSON mapping accepts for bytes. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const base64 = z.string().refine((value) => BASE64.test(value) && value.replace(/=+$/, '').length % 4 !== 1, 'must be base64');

/** `temporal.api.common.v1.Payloads` in protobuf's JSON mapping, as Temporal's remote codec protocol sends it. */
const payloadsJson = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).optional(),
      data: base64.optional(),
    }),
  ),
});

export type PayloadsJson = z.input<typeof payloadsJson>;

export type ParsedPayloads = { ok: true; payloads: Payload[] } | { ok: false; problem: string };

/** Reads a codec request body; a problem names the first bad field, never its value. */
export function parsePayloadsJson(body: unknown): ParsedPayloads {
  const parsed = payloadsJson.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length === 0 ? 'the body' : issue.path.map(String).join('.');
    return { ok: false, problem: `${field}: ${issue.message}. Expected {"payloads":[{"metadata":{"name":"<base64>"},"data":"<base64>"}]}.` };
  }
  return {
    ok: true,
    payloads: parsed.data.payloads.map(({ metadata = {}, data = '' }) => ({
      metadata: Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, Buffer.from(value, 'base64')])),
      data: Buffer.from(data, 'base64'),
    })),
  };
}

export function formatPayloadsJson(payloads: readonly Payload[]): PayloadsJson {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value ?? []).toString('base64')])),
      data: Buffer.from(payload.data ?? []).toString('base64'),
    })),
  };
}
