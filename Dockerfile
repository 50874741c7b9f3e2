# StreamGate's two images, from one build of the one binary:
#
#   runtime (the default target): the manager, serve and index roles. No
#     shell, no package manager: the static binary and CA certificates.
#   transcoder: the transcode role, which runs Debian's ffmpeg and ffprobe.
#
#   docker build -t ghcr.io/streamgate-io/streamgate:TAG .
#   docker build --target transcoder -t ghcr.io/streamgate-io/streamgate-transcoder:TAG .
#
# The manager runs transcode Jobs on its own image's name with
# "-transcoder" appended (same tag), or on --transcoder-image.
# `make image` builds both, with or without a Docker engine.
ARG VERSION=dev
ARG REVISION=unknown

FROM golang:1.26-bookworm AS build
ARG VERSION
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY internal/ internal/
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/streamgate ./cmd/streamgate

FROM debian:bookworm-slim AS transcoder
ARG VERSION
ARG REVISION
LABEL org.opencontainers.image.title="streamgate-transcoder" \
      org.opencontainers.image.description="StreamGate's transcode worker: ffmpeg to adaptive HLS" \
      org.opencontainers.image.source="https://github.com/streamgate-io/streamgate" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# Debian's ffmpeg drags in GPU drivers (mesa, LLVM: 170 MB) that only
# hardware decoding would dlopen; the worker encodes in software. They go,
# and the build fails if ffmpeg or ffprobe then lacks a library or cannot
# encode an HLS ladder.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && dpkg --purge --force-depends libgl1-mesa-dri libllvm15 libz3-4 libglx-mesa0 mesa-vulkan-drivers \
      libdrm-amdgpu1 libdrm-nouveau2 libdrm-radeon1 libdrm-intel1 \
 && ! ldd /usr/bin/ffmpeg /usr/bin/ffprobe | grep 'not found' \
 && ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=d=1:s=320x240 -f lavfi -i sine=d=1 \
      -c:v libx264 -c:a aac -f hls /tmp/check.m3u8 && rm -f /tmp/check* \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
      /usr/share/doc /usr/share/man /usr/share/info /usr/share/locale
COPY --from=build /out/streamgate /usr/local/bin/streamgate
# 65532 is the conventional "nonroot" user; pods also set runAsNonRoot,
# runAsUser and runAsGroup (containerd gives an image's USER uid gid 0).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/streamgate"]
CMD ["transcode", "--help"]

FROM scratch AS runtime
ARG VERSION
ARG REVISION
LABEL org.opencontainers.image.title="streamgate" \
      org.opencontainers.image.description="StreamGate operator: manager, serve and index roles" \
      org.opencontainers.image.source="https://github.com/streamgate-io/streamgate" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/streamgate /usr/local/bin/streamgate
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/streamgate"]
CMD ["manager"]
