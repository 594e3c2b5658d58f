//! `cost rates import`: AWS Price List files into a rate table, offline.
//!
//! Reads both shapes AWS publishes (<https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/price-changes.html>): the bulk offer files
//! (`.../offers/v1.0/aws/<Offer>/current/<region>/index.json`: `products`, then `terms`) and what
//! `aws pricing get-products` prints (`{"FormatVersion": "aws_v1", "PriceList": ["<json>", ...]}`).
//! A file is read as a stream, one product or term at a time, so a region's `AmazonEC2` file of
//! hundreds of megabytes never sits in memory: only the products that matter (and their on-demand
//! prices) are kept.
//!
//! What is taken:
//! - `AmazonECS` / `AmazonEKS`: the Fargate usage types, matched by what follows the region prefix
//!   (`USE1-Fargate-vCPU-Hours:perCPU` …), and the EKS cluster fee (`-AmazonEKS-Hours:perCluster`).
//! - `AmazonEC2`: Linux, shared tenancy, no pre-installed software, capacity status `Used`,
//!   on-demand; vCPU, memory and architecture (Graviton is arm64) from the attributes.
//! - `AWSDataTransfer`: data transfer out to the internet (`transferType` `AWS Outbound`, to
//!   `External`), its tiers from the price dimensions' ranges. A leading free tier is left out: the
//!   free allowance is `--free-data-transfer`'s to apply.

mod collect;
mod stream;
mod write;

pub use collect::{Collected, ImportError};
pub use stream::read_price_list;
pub use write::to_toml;
