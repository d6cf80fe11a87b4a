/**
 * The API's types, for the admin app's client: the very file the bot's client is typed by, which
 * `npm run api:generate` writes once from docs/api/openapi.json, rather than a second copy of its
 * 11,000 lines that a test had to hold equal. Type-only, so Vite erases it: the bundle carries
 * none of it, and the build never reads the generated file. `tsc -p web` checks that it resolves.
 */
export type { components, paths } from '../../../src/bot/api-client/schema.ts';
