//! `cost`: what containers cost on AWS, priced offline and exactly from dated rate tables.
//!
//! The data flows one way: the edge ([`cli`]) reads flags and files into plain [`model`] types;
//! the [`pricing`] core turns a task and a [`rates`] table into a [`report`] without I/O; a
//! [`render`]er turns the report into bytes. Money is [`rust_decimal::Decimal`] throughout
//! ([`money`]).

pub mod cli;
pub mod input;
pub mod model;
pub mod money;
pub mod pricing;
pub mod rates;
pub mod render;
pub mod report;
