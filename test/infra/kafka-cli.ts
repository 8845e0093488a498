// CI prefetch: run this file as main (with any TS loader) to download the Kafka jars once.
import { ensureKafkaJars } from './kafka-broker';

if (require.main === module) {
  ensureKafkaJars({ log: (s) => console.log(s) })
    .then((dir) => console.log(`kafka jars ready in ${dir}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
