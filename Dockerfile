# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the full dependency set.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SSPGW__ssp__listen=0.0.0.0:7301 \
    SSPGW__admin__listen=0.0.0.0:9301
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY config ./config
COPY fixtures/zones ./fixtures/zones
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 7301 9301
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:9301/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--max-semi-space-size=32", "--single-threaded-gc", "dist/src/cli/main.js"]
CMD ["serve", "--config", "config/default.yaml"]
