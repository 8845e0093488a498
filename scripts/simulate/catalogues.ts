/**
 * The subsidiaries' product catalogues, read from the same files the services load,
 * so the simulator only ever sends real local product and channel codes.
 */
import type { Channel, PremiumMode, ProductLine, Subsidiary } from '@lib/contracts';
import groupCatalogue from '../../apps/group/catalogue.json';
import lifeCatalogue from '../../apps/life/catalogue.json';
import pncCatalogue from '../../apps/pnc/catalogue.json';

export interface CatalogueProduct {
  code: string;
  productLine: ProductLine;
  premiumModes: PremiumMode[];
  standardPremium: { regularFactor?: string; singleFactor?: string };
}

export interface CatalogueChannel {
  code: string;
  channel: Channel;
}

export interface Catalogue {
  subsidiary: Subsidiary;
  products: CatalogueProduct[];
  channels: CatalogueChannel[];
}

export type Catalogues = Record<Subsidiary, Catalogue>;

export const DEFAULT_CATALOGUES: Catalogues = {
  life: lifeCatalogue as Catalogue,
  pnc: pncCatalogue as Catalogue,
  group: groupCatalogue as Catalogue,
};

export class CatalogueGap extends Error {
  readonly code = 'SIMULATOR_CATALOGUE_GAP';
}

export function productByCode(catalogue: Catalogue, code: string): CatalogueProduct {
  const product = catalogue.products.find((p) => p.code === code);
  if (!product) throw new CatalogueGap(`the ${catalogue.subsidiary} catalogue has no product ${code}`);
  return product;
}

export function productsForLine(catalogue: Catalogue, line: ProductLine): CatalogueProduct[] {
  return catalogue.products.filter((p) => p.productLine === line);
}

export function hasProduct(catalogue: Catalogue, code: string): boolean {
  return catalogue.products.some((p) => p.code === code);
}

/** The local code for a group channel; `preferred` wins when the catalogue maps it to that channel. */
export function channelCode(catalogue: Catalogue, channel: Channel, preferred?: string): string {
  const match = catalogue.channels.find((c) => c.code === preferred && c.channel === channel) ?? catalogue.channels.find((c) => c.channel === channel);
  if (!match) throw new CatalogueGap(`the ${catalogue.subsidiary} catalogue has no channel code for ${channel}`);
  return match.code;
}

/** The group channel a local code stands for. */
export function channelOfCode(catalogue: Catalogue, code: string): Channel {
  const match = catalogue.channels.find((c) => c.code === code);
  if (!match) throw new CatalogueGap(`the ${catalogue.subsidiary} catalogue has no channel code ${code}`);
  return match.channel;
}
