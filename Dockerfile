# rollcall: one image, three roles (`rollcall api|project|activity`, or `all`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json knexfile.ts ./
COPY shared shared
COPY projections projections
COPY services services
COPY bin bin
# npm ci runs `prepare`, which compiles to dist/; then drop the build tools.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/bin bin
USER node
EXPOSE 8000
ENTRYPOINT ["node", "bin/rollcall.js"]
CMD ["all"]
