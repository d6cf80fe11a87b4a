/**
 * Preloaded by `npm run dev` (node --import): makes /admin a Vite dev server with hot reload,
 * on the same port as the API, instead of serving the built web/dist. See
 * src/api/plugins/admin-web.ts.
 */
import { serveAdminWebFromVite } from '../src/api/plugins/admin-web.ts';

serveAdminWebFromVite();
