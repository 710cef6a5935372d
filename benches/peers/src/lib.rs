//! Peer comparison benchmarks live in `benches/`.
