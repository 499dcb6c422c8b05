# syntax=docker/dockerfile:1
# Multi-stage build: a static, CGO-free lcngw on distroless (non-root).
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w -X github.com/lcngw/lcngw/internal/cli.Version=${VERSION}" \
    -o /out/lcngw ./cmd/lcngw

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lcngw /lcngw
USER nonroot:nonroot
# 9090: admin listener (/metrics, /livez, /readyz). Probe it from the
# orchestrator (Kubernetes httpGet on /livez and /readyz); the image has no
# shell, so there is no HEALTHCHECK command.
EXPOSE 9090
ENTRYPOINT ["/lcngw"]
CMD ["serve", "--config", "/etc/lcngw/lcngw.yaml"]
