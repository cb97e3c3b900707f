/**
 * What the API may answer POST /v1/orders/{id}/process in a drill, as docs/api.md documents it:
 * the outcome a card decides, or one of the answers that tell the client to send the same request
 * again. Anything else is undocumented, and a drill that sees one fails.
 */
export const documentedAnswers = {
  '200 order': { final: true },
  '402 failed': { final: true },
  '423 resource_locked': { final: false },
  '500 internal_error': { final: false },
  '500 idempotency_validation_failed': { final: false },
} as const;

export type DocumentedAnswer = keyof typeof documentedAnswers;

/** A route's documented answers by label, and whether each is final. */
export type DocumentedAnswers = Readonly<Record<string, { final: boolean }>>;

/**
 * What the API may answer POST /v1/orders (docs/api.md): the created order, 201 (the soak creates
 * `manual` orders, never declined at creation), or an answer that asks for the same request again.
 */
export const documentedCreateAnswers = {
  '201 order': { final: true },
  '423 resource_locked': { final: false },
  '500 internal_error': { final: false },
  '500 idempotency_validation_failed': { final: false },
} as const;

/** The label counted for one HTTP answer: a documented answer of the route, or `<status> undocumented`. */
export function labelAnswer(status: number, body: string, documented: DocumentedAnswers = documentedAnswers): string {
  const label = status === 200 || status === 201 ? (orderIdIn(body) === null ? null : `${status} order`) : `${status} ${firstErrorCode(body) ?? 'no error code'}`;
  return label !== null && label in documented ? label : `${status} undocumented`;
}

export function isFinalAnswer(label: string, documented: DocumentedAnswers = documentedAnswers): boolean {
  return Object.hasOwn(documented, label) && documented[label]!.final;
}

/** The label counted when no HTTP answer came: refused, reset, timed out … */
export function labelConnectionError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer: client timeout';
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  return `no answer: ${typeof code === 'string' ? code : 'connection error'}`;
}

/** The order an answer is about: the order itself (200) or the declined one under `data` (402). */
export function orderIdIn(body: string): string | null {
  const parsed = parseObject(body);
  if (parsed === null) return null;
  if (typeof parsed.id === 'string') return parsed.id;
  const data = parsed.data;
  return typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : null;
}

function firstErrorCode(body: string): string | null {
  const errors = parseObject(body)?.errors;
  if (!Array.isArray(errors)) return null;
  const code = (errors[0] as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : null;
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
