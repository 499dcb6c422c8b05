# syntax=docker/dockerfile:1
# Multi-stage build: a static, CGO-free lcngw on distroless (non-root).
# The build stage runs on the builder's own platform and cross-compiles,
# so `docker buildx build --platform linux/amd64,linux/arm64 .` needs no
# emulation.
ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
# The in-process broker's patched module, named by a replace directive.
COPY third_party/ third_party/
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w -X github.com/lcngw/lcngw/internal/cli.linkedVersion=${VERSION}" \
    -o /out/lcngw ./cmd/lcngw

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lcngw /lcngw
USER nonroot:nonroot
# 9090: admin listener (/metrics, /livez, /readyz). In the image it listens
# on every interface, so probes and scrapers reach it; set
# LCNGW_ADMIN_LISTEN (or --admin, or admin.listen) to change it. Probe it
# from the orchestrator (Kubernetes httpGet on /livez and /readyz); the
# image has no shell, so there is no HEALTHCHECK command.
ENV LCNGW_ADMIN_LISTEN=:9090
EXPOSE 9090
ENTRYPOINT ["/lcngw"]
CMD ["serve", "--config", "/etc/lcngw/lcngw.yaml"]
