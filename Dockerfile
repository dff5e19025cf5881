# The mesh's executables in one image; compose.yaml runs each service from it with its own
# command, ports, volume and QE_* environment.
#
#   docker build -t quantum-energy/mesh .
#   docker run --rm quantum-energy/mesh qe --help
#
# Stage 1 builds with the Swift toolchain and the -dev packages the wire layer links against;
# stage 2 is debian:12-slim with only their runtime libraries (the Swift runtime is linked
# statically) and the binaries.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libnghttp2-dev libprotobuf-c-dev libsqlite3-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not refetch them.
COPY Package.swift Package.resolved ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib \
 && bin="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
 && mkdir -p /out \
 && for exe in customer-service metering-service asset-service outage-service finance-service gateway demo-seed qe; do \
      cp "$bin/$exe" /out/ && strip /out/$exe; \
    done

FROM debian:12-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libnghttp2-14 libprotobuf-c1 libsqlite3-0 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin qe \
 && mkdir -p /data && chown qe:qe /data
COPY --from=build /out/ /usr/local/bin/
USER qe
WORKDIR /data
VOLUME /data
# Every service reads these (flags win over them); compose.yaml sets the per-service ones.
ENV QE_HOST=0.0.0.0 QE_ADMIN_HOST=0.0.0.0 QE_DATA_DIR=/data QE_LOG_FORMAT=json
EXPOSE 50060-50065 9460-9465
CMD ["qe", "--help"]
