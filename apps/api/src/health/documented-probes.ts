import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { searchAttributesProblem } from '@app/contracts';
import { response, toApiResponse } from '../openapi/documented-response';
import { jsonSchemaOf, liveSchema, readinessSchema } from '../openapi/response-schemas';

/** `GET /health/live` and `/health/ready`: no auth, no request data. */
export function DocumentedProbe(probe: 'live' | 'ready'): MethodDecorator {
  const responses =
    probe === 'live'
      ? [response(200, 'The process serves HTTP.', jsonSchemaOf(liveSchema), { live: { summary: 'live', value: { status: 'ok' } } })]
      : [
          response(200, 'Temporal answers and the namespace has the search attributes.', jsonSchemaOf(readinessSchema), {
            ready: { summary: 'ready', value: { status: 'ok', temporal: 'reachable' } },
          }),
          response(
            503,
            'Temporal does not answer (every write would be refused), its namespace lacks the search attributes (no run could finish), this build (WORKER_BUILD_ID) is not yet current or ramping in the Worker Deployment (it starts no run), or the hosted worker is not running (starts are not eager).',
            jsonSchemaOf(readinessSchema),
            {
              unavailable: { summary: 'unavailable', value: { status: 'unavailable', temporal: 'unreachable' } },
              missing_search_attributes: {
                summary: 'the namespace lacks search attributes',
                value: { status: 'unavailable', temporal: 'reachable', reason: searchAttributesProblem('default', {}) },
              },
            },
          ),
        ];
  return applyDecorators(
    ApiTags('Health'),
    // `security: []`: probes need no token (an empty list says so, where an absent one would leave it unsaid).
    ApiOperation({ operationId: `health.${probe}`, summary: probe === 'live' ? 'Liveness probe' : 'Readiness probe: can writes succeed?', security: [] }),
    ...responses.map(toApiResponse),
  );
}
