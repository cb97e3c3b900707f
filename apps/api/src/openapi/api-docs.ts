import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME } from './documented-response';

/** Where Swagger UI is served, and the JSON document beside it; neither needs a token. */
export const API_DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/**
 * The committed copy of the document, from the repository root, written by `npm run openapi`;
 * test/openapi/document-drift.e2e-spec.ts fails when it differs from what the API serves.
 */
export const OPENAPI_DOCUMENT_FILE = 'docs/openapi.json';

/**
 * The committed file's text: the served document indented by two spaces, keys in the order the API
 * serves them, and a final newline, so a change to the contract reads as a diff of a few lines.
 */
export function openApiDocumentText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The OpenAPI 3.1 document of the app's routes, built from their decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Durable payment orchestrator')
    .setDescription(
      [
        "Mercado Pago's Orders and Wallet Connect payment writes, made idempotent and durable: one Temporal workflow per X-Idempotency-Key.",
        'The same request with the same key gets the same answer, byte for byte, with Idempotent-Replayed: true.',
        "Examples named upstream_… are Mercado Pago's published bodies, passed through as the upstream sends them; every other example is the orchestrator's own answer, exactly.",
      ].join(' '),
    )
    .setVersion('1')
    // The package's licence (package.json).
    .setLicense('MIT', 'https://spdx.org/licenses/MIT.html')
    // Relative: the orchestrator's own address, wherever it runs; a checkout service puts it where it had https://api.mercadopago.com.
    .addServer('/', "The orchestrator's address, in place of https://api.mercadopago.com")
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'A token from API_TOKENS; it names the calling client.' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, from the installed swagger-ui-dist (no CDN), and the document at /docs-json. */
export function serveApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Durable payment orchestrator API',
  });
}
