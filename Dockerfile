# One image for the four services; SERVICE picks which one runs (life, pnc, group, coordination).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/apps ./apps
USER node
ENV SERVICE=coordination
# The services' V8 settings, as npm start and the benches give them (scripts/lib/service-node-args.ts).
ENV SERVICE_SEMI_SPACE_MB=64
CMD ["sh", "-c", "exec node --max-semi-space-size=${SERVICE_SEMI_SPACE_MB} dist/apps/${SERVICE}/src/main.js"]
