//! `cost estimate`, by input: flags, task definitions, workload files, Terraform plans,
//! describe-services output, the EC2 launch type, sizes Fargate does not offer (and EKS pods),
//! and `--batch` streams.

mod batch;
mod cloudformation;
mod ec2;
mod flags;
mod inputs;
mod real_task_definitions;
mod services;
mod sizes;
mod task_definitions;
mod terraform;
mod terraform_versions;
mod workloads;
