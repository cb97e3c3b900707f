import { Controller, HttpCode, Inject, Logger, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import type { PayloadCodec, Payload } from '@temporalio/common';
import { payloadCodecs } from '@app/encryption';
import { MERCHANTS_SECTION, TEMPORAL_SECTION, type MerchantsSection, type TemporalSection } from '../../api-config-sections';
import { ApiProblemException } from '../../http/problems/api-problem';
import { CodecBodyInterceptor } from './codec-body.interceptor';
import { CODEC_PATH } from './codec-dialect';
import { OperatorAuthGuard, type OperatorRequest } from './operator-auth.guard';
import { formatPayloadsJson, parsePayloadsJson, type PayloadsJson } from './payloads-json';

/**
 * Temporal's remote codec protocol, for the Web UI and `temporal --codec-endpoint`: POST
 * {CODEC_PATH}/encode and /decode take and return Payloads in protobuf JSON. Decoding uses every
 * configured key (so rotated keys still decrypt) and leaves payloads that are not ours as they are.
 */
@Controller(CODEC_PATH.slice(1))
@UseGuards(OperatorAuthGuard)
@UseInterceptors(CodecBodyInterceptor)
export class CodecController {
  private readonly logger = new Logger('Codec');
  private readonly codecs: readonly PayloadCodec[];
  private readonly namespaces: ReadonlySet<string>;

  constructor(@Inject(TEMPORAL_SECTION) temporal: TemporalSection, @Inject(MERCHANTS_SECTION) merchants: MerchantsSection) {
    // Operators must be able to read whatever a run holds, a planted plaintext payload included.
    this.codecs = payloadCodecs(temporal.encryption, 'pass');
    this.namespaces = new Set(merchants.map((merchant) => merchant.namespace));
  }

  @Post('encode')
  @HttpCode(200)
  encode(@Req() request: OperatorRequest): Promise<PayloadsJson> {
    // Encoding applies the codecs in order, decoding in reverse, as the SDK's data converter does.
    return this.transform(request, 'encode', (payloads) => this.codecs.reduce(async (done, codec) => codec.encode(await done), Promise.resolve(payloads)));
  }

  @Post('decode')
  @HttpCode(200)
  decode(@Req() request: OperatorRequest): Promise<PayloadsJson> {
    return this.transform(request, 'decode', (payloads) => this.codecs.reduceRight(async (done, codec) => codec.decode(await done), Promise.resolve(payloads)));
  }

  private async transform(request: OperatorRequest, action: string, apply: (payloads: Payload[]) => Promise<Payload[]>): Promise<PayloadsJson> {
    const namespace = request.headers['x-namespace'];
    // The keys belong to the merchants' namespaces; the Web UI names the namespace it shows in every request.
    if (namespace !== undefined && !this.namespaces.has(String(namespace))) {
      throw new ApiProblemException(
        'invalid_body',
        `X-Namespace "${String(namespace)}" is not served here: this codec serves ${[...this.namespaces].map((served) => `"${served}"`).join(', ')}.`,
      );
    }
    const parsed = parsePayloadsJson(request.body);
    if (!parsed.ok) throw new ApiProblemException('invalid_body', parsed.problem);
    let transformed: Payload[];
    try {
      transformed = await apply(parsed.payloads);
    } catch (error) {
      // The codec's messages name a key id or say "tampered/truncated", never payload content.
      throw new ApiProblemException('invalid_body', `cannot ${action}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // An audit line: who read how much, never what.
    this.logger.log(`${request.operator} ${action}d ${transformed.length} payload(s)`);
    return formatPayloadsJson(transformed);
  }
}
