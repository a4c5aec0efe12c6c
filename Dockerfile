# syntax=docker/dockerfile:1
# One image for every runtime: under Crossplane (no arguments, TLS_SERVER_CERTS_DIR set) it serves
# gRPC RunFunction on :9443 with mutual TLS; under kpt or kustomize (no arguments, no such variable,
# a ResourceList on stdin) it runs as a KRM function. See "The mode rule" in README.md.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json build.mjs ./
COPY fn ./fn
RUN npm run build

# Distroless Node.js 20: no shell, no package manager. The bundle is self-contained: nothing but
# /fn.js is needed at run time.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build /src/dist/fn.js /fn.js
EXPOSE 9443
# Inside a container, loopback reaches no one: listen on every interface in both modes. Outside the
# image, `--insecure` alone listens on 127.0.0.1 (docs/crossplane-server.md). `crossplane render` runs
# the image with just `--insecure` and publishes 9443, so this must be set here, not passed as a flag.
ENV FUNCTION_ADDRESS=0.0.0.0:9443
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/fn.js"]
