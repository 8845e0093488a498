import { SUBSIDIARIES, subsidiaryUnderwrites } from '@lib/contracts';
import { AppError } from '@lib/platform';
import { join } from 'node:path';
import { Catalogue, CatalogueError } from './catalogue';
import type { CatalogueFile } from './catalogue.schema';

const appCatalogue = (sub: string) => join(__dirname, '..', '..', '..', '..', 'apps', sub, 'catalogue.json');

const minimal = (): CatalogueFile => ({
  subsidiary: 'life',
  version: 't1',
  products: [{ code: 'WL20', name: 'whole life', productLine: 'LIFE_WHOLE', premiumModes: ['ANNUAL', 'SINGLE'], standardPremium: { regularFactor: '1.00', singleFactor: '0.10' } }],
  channels: [{ code: 'GX01', name: 'agency', channel: 'AGENCY' }, { code: 'YB01', name: 'bank', channel: 'BANCASSURANCE' }],
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}` : String(error);
  }
  return 'no error';
}

describe('the apps\' product catalogues', () => {
  it.each(SUBSIDIARIES)('%s: loads, and every product maps to a line the subsidiary underwrites', (sub) => {
    const catalogue = Catalogue.load(appCatalogue(sub), sub);
    expect(catalogue.file.products.length).toBeGreaterThanOrEqual(5);
    for (const product of catalogue.file.products) expect(subsidiaryUnderwrites(sub, product.productLine)).toBe(true);
  });

  it('life covers whole life, term, critical illness, annuity and universal life with several codes', () => {
    const lines = Catalogue.load(appCatalogue('life'), 'life').file.products.map((p) => p.productLine);
    for (const line of ['LIFE_WHOLE', 'LIFE_TERM', 'CRITICAL_ILLNESS', 'ANNUITY', 'UNIVERSAL_LIFE']) expect(lines).toContain(line);
  });

  it('P&C and group cover their lines', () => {
    const pnc = Catalogue.load(appCatalogue('pnc'), 'pnc').file.products.map((p) => p.productLine);
    const group = Catalogue.load(appCatalogue('group'), 'group').file.products.map((p) => p.productLine);
    for (const line of ['MOTOR', 'HOME', 'COMMERCIAL_PROPERTY', 'LIABILITY', 'ACCIDENT']) expect(pnc).toContain(line);
    for (const line of ['GROUP_LIFE', 'GROUP_HEALTH', 'GROUP_ACCIDENT', 'ENTERPRISE_ANNUITY']) expect(group).toContain(line);
  });
});

describe('catalogue validation at boot', () => {
  it('refuses a catalogue written for another subsidiary', () => {
    expect(() => Catalogue.parse(minimal(), 'pnc')).toThrow(/it is for life, this service is pnc/);
  });

  it('refuses a product line the subsidiary does not underwrite, naming the path', () => {
    const file = minimal();
    file.products[0].productLine = 'MOTOR';
    expect(() => Catalogue.parse(file, 'life')).toThrow(/products\.0\.productLine: MOTOR is not a life product line/);
  });

  it('refuses a product offered SINGLE without a single factor', () => {
    const file = minimal();
    file.products[0].standardPremium = { regularFactor: '1.00' };
    expect(() => Catalogue.parse(file, 'life')).toThrow(CatalogueError);
  });

  it('refuses duplicate codes and absurd factors', () => {
    const file = minimal();
    file.channels.push({ code: 'GX01', name: 'again', channel: 'DIRECT' });
    file.products[0].standardPremium.regularFactor = '100';
    expect(() => Catalogue.parse(file, 'life')).toThrow(/channel code GX01 appears twice/);
    expect(() => Catalogue.parse(file, 'life')).toThrow(/products\.0\.standardPremium\.regularFactor: must be greater than 0 and at most 10/);
  });
});

describe('mapping local codes', () => {
  const catalogue = Catalogue.parse(minimal(), 'life');

  it('maps a product code to its group product line', () => {
    expect(catalogue.productLine('WL20')).toBe('LIFE_WHOLE');
  });

  it('answers 422 UNKNOWN_PRODUCT_CODE naming an unknown code', () => {
    expect(codeOf(() => catalogue.product('XX99'))).toBe('422 UNKNOWN_PRODUCT_CODE');
    expect(() => catalogue.product('XX99')).toThrow(/XX99/);
  });

  it('answers 422 PREMIUM_MODE_NOT_OFFERED for a mode the product is not sold with', () => {
    expect(codeOf(() => catalogue.productFor('WL20', 'MONTHLY'))).toBe('422 PREMIUM_MODE_NOT_OFFERED');
  });

  it.each([
    [{ localChannelCode: 'YB01' }, { channel: 'BANCASSURANCE', localChannelCode: 'YB01' }],
    [{ channel: 'AGENCY' as const }, { channel: 'AGENCY' }],
    [{ channel: 'BANCASSURANCE' as const, localChannelCode: 'YB01' }, { channel: 'BANCASSURANCE', localChannelCode: 'YB01' }],
  ])('given %j, resolves the group channel %j', (claim, expected) => {
    expect(catalogue.resolveChannel(claim)).toEqual(expected);
  });

  it('answers 422 UNKNOWN_CHANNEL_CODE for an unknown local channel code', () => {
    expect(codeOf(() => catalogue.resolveChannel({ localChannelCode: 'ZZ' }))).toBe('422 UNKNOWN_CHANNEL_CODE');
  });

  it('answers 422 CHANNEL_MISMATCH when the group channel contradicts the local code', () => {
    expect(codeOf(() => catalogue.resolveChannel({ channel: 'DIRECT', localChannelCode: 'YB01' }))).toBe('422 CHANNEL_MISMATCH');
  });
});
