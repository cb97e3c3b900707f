# One image for the api, worker and simulator services; docker-compose.yml picks each service's
# command, the same `node dist/...` command the end-to-end tests run natively.
# Node 22 LTS (Node 20, which CI runs, is past its end of life), pinned by the digest of the
# multi-platform node:22.23.2-bookworm-slim index, so a re-pushed tag cannot change the build.
FROM node:22.23.2-bookworm-slim@sha256:48e4b67d85f87bd551df43704e24d252f56cc5f8e9718841aace50f19948f0f9 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:22.23.2-bookworm-slim@sha256:48e4b67d85f87bd551df43704e24d252f56cc5f8e9718841aace50f19948f0f9
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
