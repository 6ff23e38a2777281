# itsm-bridge container image: build with `docker build -t itsm-bridge .` (docs/operations.md).
# Three stages: compile TypeScript (dev dependencies), install production dependencies with the native
# SQLite module, and a slim runtime that runs as the unprivileged `node` user.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped: nothing native is needed to compile, and `prepare` would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY handlers ./handlers
COPY integrations ./integrations
COPY bench ./bench
RUN npm run build

FROM node:20-slim AS deps
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; the compiler is the fallback for platforms without one.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
  && npm rebuild better-sqlite3 \
  && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/itsm-bridge.sqlite \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json itsm-bridge.example.yaml ./
COPY runbooks ./runbooks
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers 200 while serving and 503 while draining (handlers/http/server.ts); no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM starts the graceful shutdown (SHUTDOWN_DEADLINE_SECONDS, default 10): give `docker stop -t` more.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
