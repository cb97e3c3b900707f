import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

/** The parts of an OpenAPI 3.1 document the tests read. */
export interface MediaType {
  schema: object;
  examples?: Record<string, { summary?: string; value: unknown }>;
}

export interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; example?: unknown; schema?: { example?: unknown } }[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

export interface DocumentedOperation {
  method: string;
  /** The path template, e.g. `/v1/orders/{orderId}/process`. */
  path: string;
  operation: Operation;
}

const JSON_MEDIA_TYPE = 'application/json';

/** The document exactly as the running API serves it. */
export async function loadOpenApiDocument(apiUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${apiUrl}/docs-json`);
  if (!response.ok) throw new Error(`GET /docs-json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

/** Where a committed document's text first differs from the served one's, or null when they are the same. */
export function documentDrift(committed: string, served: string): string | null {
  if (committed === served) return null;
  const committedLines = committed.split('\n');
  const servedLines = served.split('\n');
  const line = committedLines.findIndex((text, index) => text !== servedLines[index]);
  const at = line === -1 ? committedLines.length : line;
  return `from line ${at + 1} on, the file has ${JSON.stringify(committedLines[at] ?? '(its end)')} where the API serves ${JSON.stringify(servedLines[at] ?? '(its end)')}`;
}

export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));
}

/** Checks real answers against what the document says of an operation. */
export class ResponseConformance {
  private readonly ajv = new Ajv2020({ allErrors: true });
  private readonly validators = new Map<object, ValidateFunction>();

  /** What is wrong with an answer, or an empty list when the document allows it. */
  problems(operation: Operation, status: number, contentType: string | null, body: unknown): string[] {
    const documented = operation.responses[String(status)];
    if (documented === undefined) return [`${operation.operationId}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const media = documented.content?.[JSON_MEDIA_TYPE];
    if (media === undefined) return [`${operation.operationId}: ${status} documents no JSON body`];
    if (contentType === null || !contentType.startsWith(JSON_MEDIA_TYPE)) return [`${operation.operationId}: ${status} came as ${contentType}`];
    const validate = this.validator(media.schema);
    if (validate(body)) return [];
    return [`${operation.operationId}: ${status} body does not match its schema: ${this.ajv.errorsText(validate.errors)}`];
  }

  private validator(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}
