import { infra, log } from './infra-state';

export default async function globalTeardown(): Promise<void> {
  infra.users -= 1;
  if (infra.users > 0) return;
  for (const stop of infra.stops.splice(0).reverse()) {
    await stop().catch((error: unknown) => log(`teardown: ${String(error)}`));
  }
}
