//! The integration tests: one test binary (`cargo test --test cli`), mostly running the built
//! `cost` binary, organised by subcommand and then by concern. Expected amounts are worked out by
//! hand from the published rates, in each test's comments.
//!
//! - `estimate`: from flags, task definitions, workload files, Terraform plans, the EC2 launch
//!   type, sizes (`--round-up`, EKS pods) and `--batch`
//! - `check`, `diff`, `compare`, `rates`: the other subcommands
//! - `explain`, `manual`: `--explain`; completions, the man page, `--version`
//! - `coverage`: what a report could not price, and gates that fail closed
//! - `hostile`: a catalogue of hostile inputs held to the failure contract
//! - `injection`, `terminal`, `files`: how outside text is shown, colour and layout, files in and out
//! - `snapshots`, `readme`: reviewed output and the README's example
//! - `scale`, `properties`, `fuzz`: large inputs, laws over random tasks, the proptest fuzz harness
//! - `layers`: the module layering of `src/`
//! - `common`: the helpers they share

mod check;
mod common;
mod compare;
mod coverage;
mod diff;
mod estimate;
mod explain;
mod files;
mod fuzz;
mod hostile;
mod injection;
mod layers;
mod manual;
mod properties;
mod rates;
mod readme;
mod scale;
mod snapshots;
mod terminal;
