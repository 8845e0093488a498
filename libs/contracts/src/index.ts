/**
 * @lib/contracts: the public contract between the subsidiary services and the
 * coordination service. Topic names, the envelope, versioned payload schemas and
 * upcasters, REST input shapes, identity-number rules and routing keys.
 * See libs/contracts/README.md.
 */
export * from './topics';
export * from './codes';
export * from './primitives';
export * from './identity';
export * from './identity-generators';
export * from './issues';
export * from './schemas/client';
export * from './schemas/party-links';
export * from './schemas/agent';
export * from './schemas/referral';
export * from './schemas/policy';
export * from './schemas/claim';
export * from './schemas/activity';
export * from './schemas/decisions';
export * from './registry';
export * from './upcasters';
export * from './envelope';
export * from './inbound';
export * from './routing';
export * from './ids';
export * from './examples';
export { buildAsyncApi, CONTRACTS_VERSION, jsonSchemaOf } from './asyncapi/build';
export { toYaml } from './asyncapi/yaml';
