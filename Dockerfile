# syntax=docker/dockerfile:1
# entralint as a container: `docker build -t entralint .`, then
# `docker run --rm -v "$PWD:/work:ro" entralint check --format concise`.

# Build stage: the Rust toolchain with the C compiler mimalloc needs.
FROM rust:1.90-slim-bookworm AS build
WORKDIR /build
# Only what the binary is built from: the rule documentation is compiled in.
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY rules ./rules
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked --bin entralint \
    && install -D target/release/entralint /out/entralint

# Final stage: glibc and nothing else (no shell, no package manager), as an unprivileged user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/entralint /usr/local/bin/entralint
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/entralint"]
CMD ["check", "."]
