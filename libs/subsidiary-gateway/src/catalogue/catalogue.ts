import type { Channel, PremiumMode, ProductLine, Subsidiary } from '@lib/contracts';
import { readFileSync } from 'node:fs';
import { intakeError } from '../intake/intake.errors';
import { CatalogueFile, CatalogueProduct, CatalogueSchema } from './catalogue.schema';

export class CatalogueError extends Error {
  readonly code = 'INVALID_CATALOGUE';
}

/** What the caller sent about the channel: the group channel, its own code, or both. */
export interface ChannelClaim {
  channel?: Channel;
  localChannelCode?: string;
}

export interface ResolvedChannel {
  channel: Channel;
  localChannelCode?: string;
}

/**
 * A subsidiary's product catalogue and channel codes, checked once at boot. Lookups
 * throw intake errors that name the unknown code, so a caller learns exactly what to fix.
 */
export class Catalogue {
  private readonly products: Map<string, CatalogueProduct>;
  private readonly channels: Map<string, Channel>;

  constructor(readonly file: CatalogueFile) {
    this.products = new Map(file.products.map((p) => [p.code, p]));
    this.channels = new Map(file.channels.map((c) => [c.code, c.channel]));
  }

  static parse(raw: unknown, subsidiary: Subsidiary, source = 'catalogue'): Catalogue {
    const result = CatalogueSchema.safeParse(raw);
    if (!result.success) {
      const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new CatalogueError(`Invalid product catalogue ${source}:\n${lines.join('\n')}`);
    }
    if (result.data.subsidiary !== subsidiary) {
      throw new CatalogueError(`Invalid product catalogue ${source}: it is for ${result.data.subsidiary}, this service is ${subsidiary}`);
    }
    return new Catalogue(result.data);
  }

  static load(path: string, subsidiary: Subsidiary): Catalogue {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new CatalogueError(`Cannot read product catalogue ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return Catalogue.parse(raw, subsidiary, path);
  }

  product(code: string, field = 'productCode'): CatalogueProduct {
    const product = this.products.get(code);
    if (!product) throw intakeError('UNKNOWN_PRODUCT_CODE', `Product code ${code} is not in the ${this.file.subsidiary} catalogue.`, field, { productCode: code });
    return product;
  }

  /** The product, checked to offer the premium mode asked for. */
  productFor(code: string, mode: PremiumMode): CatalogueProduct {
    const product = this.product(code);
    if (!product.premiumModes.includes(mode)) {
      const offered = product.premiumModes.join(', ');
      throw intakeError('PREMIUM_MODE_NOT_OFFERED', `Product ${code} is not sold with premium mode ${mode} (offered: ${offered}).`, 'premium.mode');
    }
    return product;
  }

  productLine(code: string): ProductLine {
    return this.product(code).productLine;
  }

  /**
   * The group channel of a sale. A local code wins because it is the more specific
   * fact; when both are sent they must agree, or the sale would be credited twice over.
   */
  resolveChannel(claim: ChannelClaim): ResolvedChannel {
    if (!claim.localChannelCode) {
      if (!claim.channel) throw intakeError('VALIDATION_FAILED', 'channel is required unless localChannelCode is given.', 'channel');
      return { channel: claim.channel };
    }
    const mapped = this.channels.get(claim.localChannelCode);
    if (!mapped) {
      throw intakeError('UNKNOWN_CHANNEL_CODE', `Channel code ${claim.localChannelCode} is not a ${this.file.subsidiary} channel code.`, 'localChannelCode', {
        localChannelCode: claim.localChannelCode,
      });
    }
    if (claim.channel && claim.channel !== mapped) {
      throw intakeError('CHANNEL_MISMATCH', `Channel code ${claim.localChannelCode} maps to ${mapped}, not ${claim.channel}.`, 'channel');
    }
    return { channel: mapped, localChannelCode: claim.localChannelCode };
  }

  /** A human-readable list for the OpenAPI description. */
  describe(): string {
    const products = this.file.products.map((p) => `\`${p.code}\` ${p.name} → ${p.productLine} (${p.premiumModes.join('/')})`);
    const channels = this.file.channels.map((c) => `\`${c.code}\` ${c.name} → ${c.channel}`);
    return [`Product codes (catalogue ${this.file.version}):`, ...products.map((l) => `- ${l}`), '', 'Channel codes:', ...channels.map((l) => `- ${l}`)].join('\n');
  }
}
