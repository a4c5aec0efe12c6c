# syntax=docker/dockerfile:1
# One image for every runtime: under Crossplane (no arguments, TLS_SERVER_CERTS_DIR set) it serves
# gRPC RunFunction on :9443 with mutual TLS; under kpt or kustomize (no arguments, no such variable,
# a ResourceList on stdin) it runs as a KRM function. See "The mode rule" in README.md.
#
# Base images are pinned by their multi-platform index digest, the tag beside it (Node.js 24.21.0 and
# the distroless nodejs24-debian13 of the same time); Renovate (renovate.json) keeps both current.

# The bundle is plain JavaScript, the same for every architecture: build it once, natively, on the
# build machine's platform (no emulation when buildx builds linux/arm64 on an amd64 runner).
FROM --platform=$BUILDPLATFORM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json build.mjs ./
COPY fn ./fn
RUN npm run build

# Distroless Node.js 24 (Debian 13): no shell, no package manager. The bundle is self-contained:
# nothing but /fn.js is needed at run time.
FROM gcr.io/distroless/nodejs24-debian13:nonroot@sha256:9eeb7f5887d0e239e78264b06f7f11d2e14be534050481803a9e4728fcdd278e
COPY --from=build /src/dist/fn.js /fn.js
EXPOSE 9443
# Inside a container, loopback reaches no one: listen on every interface in both modes. Outside the
# image, `--insecure` alone listens on 127.0.0.1 (docs/crossplane-server.md). `crossplane render` runs
# the image with just `--insecure` and publishes 9443, so this must be set here, not passed as a flag.
ENV FUNCTION_ADDRESS=0.0.0.0:9443
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/fn.js"]
