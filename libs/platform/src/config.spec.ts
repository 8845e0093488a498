import { baseConfigSchema, loadConfig } from './config';

const bodyLimit = baseConfigSchema.pick({ BODY_LIMIT: true });

describe('BODY_LIMIT', () => {
  it.each([
    [undefined, 256 * 1024],
    ['256kb', 256 * 1024],
    ['1mb', 1024 * 1024],
    [' 1.5MB ', 1.5 * 1024 * 1024],
    ['10 kb', 10 * 1024],
    ['4096', 4096],
  ])('reads %p as %i bytes', (value, bytes) => {
    expect(loadConfig(bodyLimit, value === undefined ? {} : { BODY_LIMIT: value }).BODY_LIMIT).toBe(bytes);
  });

  it.each(['abc', '0', '-1kb', '1tb'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(bodyLimit, { BODY_LIMIT: value })).toThrow(/BODY_LIMIT/);
  });
});
