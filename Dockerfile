# syntax=docker/dockerfile:1

# Build stage: dev dependencies, the TypeScript compiler and the native toolchain (python3, make,
# g++: better-sqlite3 builds from source where its prebuilt binary cannot be fetched) stay here.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled code and production dependencies only, run as the unprivileged user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    VITALS_HOST=0.0.0.0 \
    VITALS_PORT=3000 \
    VITALS_LOG_FORMAT=json \
    VITALS_DATA_DIR=/data
WORKDIR /app
# The rollup history (SQLite) lives in a volume the unprivileged user can write.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.VITALS_PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1, so SIGTERM from `docker stop` reaches the service's shutdown hooks.
CMD ["node", "dist/main.js"]
