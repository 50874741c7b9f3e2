# One image for every StreamGate role: manager, and (as they land) transcode,
# serve and index. Build: make docker-build IMG=registry.example.com/streamgate:tag
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY internal/ internal/
RUN go build -trimpath -ldflags "-s -w" -o /out/streamgate ./cmd/streamgate

# Debian slim rather than distroless: the transcode role runs Debian's
# ffmpeg and ffprobe.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/streamgate /usr/local/bin/streamgate
# 65532 is the conventional "nonroot" user; pods also set runAsNonRoot.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/streamgate"]
CMD ["manager"]
