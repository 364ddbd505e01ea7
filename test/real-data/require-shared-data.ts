// The real-data suite needs ../shared/data next to the checkout: without it every file fails with this message.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
if (!existsSync(SHARED_DATA)) {
  throw new Error(`the real-data tests need the market data at ${SHARED_DATA} (not redistributable, so not in this repository); npm test runs without it`);
}
