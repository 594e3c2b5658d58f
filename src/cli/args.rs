//! The command line, as clap reads it. Value parsers check syntax and sign only (a bad value is a
//! usage error, exit 2); what Fargate offers is the pricing core's to judge (exit 1).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rust_decimal::Decimal;

use crate::model::{Arch, LaunchType, Os, Platform, Pricing};
use crate::money::parse_decimal;
use crate::render::Format;
use crate::report::diff::Limit;

#[derive(Debug, Parser)]
#[command(
    name = "cost",
    version = concat!(env!("CARGO_PKG_VERSION"), " (embedded rate tables up to ", env!("COST_RATES_NEWEST"), ")"),
    about = "What your containers will cost on AWS, priced offline and exactly",
    long_about = "What your containers will cost on AWS (ECS on Fargate or EC2, EKS on Fargate, ECR), \
                  priced offline and exactly from dated rate tables embedded in the binary.\n\n\
                  Exit codes: 0 success, 1 the input could not be priced, 2 usage error, \
                  3 over budget (the report is still printed), 4 a budget applies and something \
                  could not be priced (the report lists it; --allow-unpriced accepts the gap)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[arg(
        long,
        value_enum,
        default_value_t,
        global = true,
        help = "When to colour tables: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it), always, or never"
    )]
    pub color: ColorChoice,

    /// Print only the total (estimate, check) or the change (diff), rounded to cents: for scripts
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

// Parsed once per run, so the size of the estimate variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
// Each subcommand's arguments are built only when it is parsed (or help, completions or the manual
// need them), not on every start.
#[command(defer = true)]
pub enum Command {
    /// Price one task description (flags or a task definition), a workload file, or a JSON Lines
    /// stream of tasks
    #[command(after_long_help = ESTIMATE_EXAMPLES)]
    Estimate(EstimateArgs),
    /// Estimate a workload file (or a Terraform plan) and enforce its budget: exit 3 when over, 4 when
    /// something could not be priced (for CI)
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// The cost change between two workload files, Terraform plans or JSON reports, per item and in
    /// total
    #[command(after_long_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// The same tasks on Fargate and on the EC2 launch type, side by side, with the break-even point
    #[command(after_long_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// The rate tables: what ships, what one holds, checking a table, importing AWS price lists
    #[command(subcommand)]
    Rates(RatesCommand),
    /// A shell completion script on stdout
    #[command(after_long_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on stdout
    #[command(
        after_long_help = "Examples:\n  cost man > cost.1 && man ./cost.1\n  cost man | gzip > /usr/local/share/man/man1/cost.1.gz"
    )]
    Man,
}

const COMPLETIONS_EXAMPLES: &str = "Examples:
  cost completions bash > ~/.local/share/bash-completion/completions/cost
  cost completions zsh > \"${fpath[1]}/_cost\"
  cost completions fish > ~/.config/fish/completions/cost.fish
  cost completions powershell >> $PROFILE
  cost completions elvish >> ~/.config/elvish/rc.elv";

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum RatesCommand {
    /// Every embedded region, with its dates and the components it prices
    #[command(after_long_help = "Examples:\n  cost rates list\n  cost rates list --format json")]
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Every rate of one region's embedded table, with its unit, source and date
    #[command(
        after_long_help = "Examples:\n  cost rates show us-east-1\n  cost rates show eu-west-1 --format json"
    )]
    Show {
        /// AWS region code
        #[arg(value_name = "REGION")]
        region: String,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Check a rate table file: schema, exact decimals, no negative rates, ordered contiguous tiers,
    /// dates; every problem is listed with its key, and the exit code is 1 if there is any
    #[command(
        after_long_help = "Examples:\n  cost rates check pricing/us-east-1.toml\n  cost rates check my-rates.toml"
    )]
    Check {
        /// The rate table (TOML), or - for stdin
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    #[command(about = "Convert AWS Price List files (bulk offer files or `aws pricing get-products` \
        output of AmazonECS, AmazonEKS, AmazonEC2, AWSDataTransfer) into a rate table")]
    #[command(after_long_help = IMPORT_EXAMPLES)]
    Import {
        /// Price list files (JSON); several are merged into one table
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// The region to write, when the files hold several
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Write the table here (atomically: an existing file, or a symbolic link's target, is
        /// replaced whole, keeping its mode, or left as it was) instead of to stdout
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

const IMPORT_EXAMPLES: &str = "Examples:
  aws pricing get-products --service-code AmazonECS --region us-east-1 \\
      --filters Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 > ecs.json
  cost rates import ecs.json --out eu-west-1.toml
  cost rates import AmazonECS.json AmazonEC2.json AWSDataTransfer.json --region eu-west-1 --out rates.toml
  cost estimate --vcpu 1 --memory 2 --rates eu-west-1.toml

Bulk offer files: https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<OFFER>/current/<REGION>/index.json
(download them with any HTTP client; cost itself never uses the network).";

const COMPARE_EXAMPLES: &str = "Examples:
  cost compare --vcpu 0.5 --memory 1 --count 10
  cost compare --vcpu 1 --memory 2 --count 6 --instance-type m5.large --format json
  cost compare --task-definition api.json --count 4 --arch arm64
  cost compare --workload workload.toml

EC2 packs the tasks onto instances of one type (the cheapest that fits unless --instance-type
names one), keeping --reserved-memory MiB of each for the OS and the ECS agent. The break-even
point is the share of the instances' task slots that must be filled for EC2 to cost no more than
Fargate, and the smallest task count at which it does.";

const CHECK_EXAMPLES: &str = "Examples:
  cost check workload.toml
  cost check workload.toml --budget 500
  cost check --terraform-plan plan.json --budget 500
  cost check --services services.json --task-definition api.json --budget 500
  cost check workload.toml --format markdown >> \"$GITHUB_STEP_SUMMARY\"

Within budget: exit 0 and a short summary (the full report with --format json, csv or markdown).
Over budget: the full report on stdout, one line on stderr, exit 3.
Something unpriced (a size Fargate does not offer, a plan service on EC2 with no instance type):
the full report on stdout listing it, one line on stderr naming it and its fix, exit 4;
--allow-unpriced accepts the gap.";

const DIFF_EXAMPLES: &str = "Examples:
  cost diff main/workload.toml workload.toml
  cost diff before.json after.json --format markdown
  cost diff old.toml new.toml --max-increase 50
  cost diff old.toml new.toml --max-increase 10%

OLD and NEW are workload files (TOML), Terraform plans (`terraform show -json`) or reports written
by `cost estimate --format json`; `-` reads one of them from stdin. Items are matched by name.";

// Where prices come from and what applies to a whole estimate. (A plain comment: with the
// subcommands deferred, a doc comment here would replace each subcommand's description.)
#[derive(Debug, Args)]
pub struct PricingArgs {
    #[arg(
        long,
        value_name = "REGION",
        help = "AWS region code [default: the workload's, then $AWS_REGION, then $AWS_DEFAULT_REGION, then us-east-1]"
    )]
    pub region: Option<String>,

    /// A rate table TOML to use instead of the embedded ones
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,

    /// Take AWS's account-wide 100 GB/month free data transfer out off this estimate
    #[arg(long)]
    pub free_data_transfer: bool,

    #[arg(long, help = "Do not warn when the rates used are older than a year (or $COST_STALE_DAYS days)")]
    pub no_stale_warning: bool,

    /// EC2 launch type: MiB of each instance kept for the OS and the ECS agent when packing tasks
    #[arg(long, value_name = "MIB", default_value = "512", value_parser = non_negative_decimal, allow_negative_numbers = true)]
    pub reserved_memory: Decimal,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The workload file (TOML), or - for stdin
    #[arg(value_name = "WORKLOAD", required_unless_present_any = ["terraform_plan", "cloudformation", "services"])]
    pub workload: Option<PathBuf>,

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`), or - for stdin, instead of a
    /// workload file
    #[arg(long, value_name = "FILE|-", conflicts_with = "workload")]
    pub terraform_plan: Option<PathBuf>,

    /// With --terraform-plan: a usage file (TOML) with what a plan cannot know
    #[arg(long, value_name = "FILE", requires = "terraform_plan")]
    pub usage: Option<PathBuf>,

    /// A CloudFormation template (JSON or YAML), a CDK cloud assembly directory (cdk.out), or -
    /// for stdin, instead of a workload file
    #[arg(long, value_name = "FILE|DIR|-", conflicts_with_all = ["workload", "terraform_plan"])]
    pub cloudformation: Option<PathBuf>,

    /// With --cloudformation: a template parameter's value, instead of its default (repeatable)
    #[arg(long, value_name = "KEY=VALUE", requires = "cloudformation")]
    pub parameter: Vec<String>,

    /// `aws ecs describe-services` output (JSON), or - for stdin, instead of a workload file
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["workload", "terraform_plan", "cloudformation"])]
    pub services: Option<PathBuf>,

    /// With --services: a task definition its services use (describe-task-definition output), or a
    /// folder of them (every *.json); repeatable
    #[arg(long, value_name = "FILE|DIR", requires = "services", action = clap::ArgAction::Append)]
    pub task_definition: Vec<String>,

    #[command(flatten)]
    pub pricing: PricingArgs,

    /// The limit in USD, instead of the workload's [budget]
    #[arg(long, value_name = "USD", value_parser = non_negative_decimal, allow_negative_numbers = true)]
    pub budget: Option<Decimal>,

    /// A budget gate passes even when some recognised items could not be priced (they are listed
    /// in the report); without it, a budget with anything unpriced exits 4
    #[arg(long)]
    pub allow_unpriced: bool,

    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old workload file or JSON report (- for stdin)
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new workload file or JSON report (- for stdin)
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// For a side that is a Terraform plan: a usage file (TOML) with what a plan cannot know
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,

    #[command(flatten)]
    pub pricing: PricingArgs,

    /// Exit 3 when the total rises by more than this: USD (`50`) or percent of the old total (`10%`)
    #[arg(long, value_name = "USD|PCT%", value_parser = increase_limit, allow_hyphen_values = true)]
    pub max_increase: Option<Limit>,

    /// The --max-increase gate passes even when some recognised items could not be priced (they are listed
    /// in the report); without it, --max-increase with anything unpriced on either side exits 4
    #[arg(long)]
    pub allow_unpriced: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

const ESTIMATE_EXAMPLES: &str = "Examples:
  cost estimate --vcpu 1 --memory 2
  cost estimate --batch tasks.jsonl > priced.jsonl
  cost estimate --task-definition taskdef.json --count 3
  aws ecs describe-task-definition --task-definition api | cost estimate --task-definition -
  cost estimate --platform eks --vcpu 0.5 --memory 1 --count 4
  cost estimate --workload workload.toml --format markdown
  terraform show -json plan > plan.json && cost estimate --terraform-plan plan.json
  cost estimate --services services.json --task-definition task-definitions/
  cost estimate --vcpu 0.5 --memory 1 --count 5 --minutes 10 --runs 30 --format json
  cost estimate --vcpu 2 --memory 4 --arch arm64 --region eu-west-1 --budget 100
  cost estimate --vcpu 1 --memory 2 --os windows --data-transfer 500";

/// Flags that describe one task; `--workload` and `--batch` replace all of them.
const TASK_FLAGS: [&str; 18] = [
    "task_definition",
    "platform",
    "vcpu",
    "memory",
    "count",
    "minutes",
    "hours",
    "runs",
    "data_transfer",
    "arch",
    "os",
    "spot",
    "ephemeral_storage",
    "name",
    "round_up",
    "pricing",
    "instance_type",
    "instances",
];

/// What `--services` replaces: the task flags but `--task-definition` (its services' definitions).
const NOT_WITH_SERVICES: &[&str] = TASK_FLAGS.split_at(1).1;

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Input files (or a CDK assembly directory), each recognised from its content: a workload
    /// file, a task definition, describe-services output (with its task definitions), a Terraform
    /// plan or a CloudFormation template
    #[arg(value_name = "INPUT", conflicts_with_all = ["workload", "batch", "terraform_plan", "cloudformation", "services"])]
    pub inputs: Vec<PathBuf>,

    /// ECS launch type [default: fargate]
    #[arg(long, value_enum, conflicts_with_all = ["workload", "batch", "terraform_plan", "cloudformation"])]
    pub launch_type: Option<LaunchType>,

    #[command(flatten)]
    pub task: TaskArgs,

    /// A workload file (TOML) with many services, EKS clusters and ECR repositories, or - for stdin
    /// (task definition paths are then relative to the current folder)
    #[arg(long, value_name = "FILE|-", conflicts_with_all = TASK_FLAGS)]
    pub workload: Option<PathBuf>,

    /// JSON Lines, one task per line with the keys of a workload [[service]], or - for stdin;
    /// writes one JSON item per line, in order, as each is priced
    #[arg(long, value_name = "FILE|-", conflicts_with_all = TASK_FLAGS, conflicts_with = "workload")]
    pub batch: Option<PathBuf>,

    /// With --batch: write an error object for a bad line and go on (exit 1 at the end)
    #[arg(long, requires = "batch")]
    pub keep_going: bool,

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`), or - for stdin: prices its ECS
    /// services, EKS clusters and ECR repositories
    #[arg(long, value_name = "FILE|-", conflicts_with_all = TASK_FLAGS, conflicts_with_all = ["workload", "batch"])]
    pub terraform_plan: Option<PathBuf>,

    /// With --terraform-plan: a usage file (TOML) with what a plan cannot know (hours, desired
    /// counts, ECR storage, EC2 instance types)
    #[arg(long, value_name = "FILE", requires = "terraform_plan")]
    pub usage: Option<PathBuf>,

    /// A CloudFormation template (JSON or YAML), a CDK cloud assembly directory (cdk.out), or -
    /// for stdin: prices its ECS services, EKS clusters and ECR repositories
    #[arg(long, value_name = "FILE|DIR|-", conflicts_with_all = TASK_FLAGS, conflicts_with_all = ["workload", "batch", "terraform_plan"])]
    pub cloudformation: Option<PathBuf>,

    /// With --cloudformation: a template parameter's value, instead of its default (repeatable)
    #[arg(long, value_name = "KEY=VALUE", requires = "cloudformation")]
    pub parameter: Vec<String>,

    /// `aws ecs describe-services` output (JSON), or - for stdin: prices each service's tasks, with
    /// the task definitions given by --task-definition FILE|DIR (repeatable)
    #[arg(long, value_name = "FILE|-", conflicts_with_all = NOT_WITH_SERVICES)]
    #[arg(conflicts_with_all = ["workload", "batch", "terraform_plan", "cloudformation", "launch_type"])]
    pub services: Option<PathBuf>,

    #[command(flatten)]
    pub pricing: PricingArgs,

    /// Output format [default: table; --batch writes JSON Lines]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Under the table, each line's formula with the numbers put in
    #[arg(long)]
    pub explain: bool,

    /// Fail with exit code 3 when the total exceeds this many USD (the report is still printed);
    /// overrides a workload's [budget]
    #[arg(long, value_name = "USD", value_parser = non_negative_decimal, allow_negative_numbers = true)]
    pub budget: Option<Decimal>,

    /// A budget gate passes even when some recognised items could not be priced (they are listed
    /// in the report); without it, a budget with anything unpriced exits 4
    #[arg(long)]
    pub allow_unpriced: bool,
}

#[derive(Debug, Args)]
pub struct TaskArgs {
    /// Orchestrator; eks sizes the task as an EKS on Fargate pod (+256 MB, rounded up) [default: ecs]
    #[arg(long, value_enum)]
    pub platform: Option<Platform>,

    /// An ECS task definition JSON (register form or describe-task-definition output), or - for
    /// stdin; gives vCPU, memory, arch, OS and storage, which flags override. With --services:
    /// repeatable, and a folder gives every *.json in it
    #[arg(long, value_name = "FILE|-", action = clap::ArgAction::Append)]
    pub task_definition: Vec<String>,

    /// vCPU per task, e.g. 0.25 (on EKS: the pod's CPU request)
    #[arg(long, value_name = "N", value_parser = positive_decimal, allow_negative_numbers = true)]
    pub vcpu: Option<Decimal>,

    /// Memory per task in GB, e.g. 0.5 (on EKS: the pod's memory request)
    #[arg(long, value_name = "GB", value_parser = positive_decimal, allow_negative_numbers = true)]
    pub memory: Option<Decimal>,

    /// Tasks running side by side [default: 1]
    #[arg(long, value_name = "N", value_parser = whole_number, allow_negative_numbers = true)]
    pub count: Option<u64>,

    /// How long one run of one task lasts, in minutes
    #[arg(long, value_name = "M", value_parser = positive_decimal, allow_negative_numbers = true, conflicts_with = "hours")]
    pub minutes: Option<Decimal>,

    /// How long one run of one task lasts, in hours [default: 730, one month]
    #[arg(long, value_name = "H", value_parser = positive_decimal, allow_negative_numbers = true)]
    pub hours: Option<Decimal>,

    /// Times each task runs in the period; each run is billed on its own, minimums included [default: 1]
    #[arg(long, value_name = "N", value_parser = whole_number, allow_negative_numbers = true)]
    pub runs: Option<u64>,

    /// Data out to the internet over the whole period, in GB [default: 0]
    #[arg(long, value_name = "GB", value_parser = non_negative_decimal, allow_negative_numbers = true)]
    pub data_transfer: Option<Decimal>,

    #[arg(long, value_enum, help = "CPU architecture [default: x86_64, or the task definition's]")]
    pub arch: Option<Arch>,

    /// Operating system family [default: linux, or the task definition's]
    #[arg(long, value_enum)]
    pub os: Option<Os>,

    /// Fargate Spot rates (ECS, Linux only); the same as --pricing spot
    #[arg(long)]
    pub spot: bool,

    /// Which Fargate prices: on-demand, spot, or a Compute Savings Plan (1 or 3 years, no upfront)
    #[arg(long, value_enum)]
    pub pricing: Option<Pricing>,

    /// Ephemeral storage per task in GB, 20 to 200; the first 20 are free [default: 20, or the
    /// task definition's]
    #[arg(long, value_name = "GB", value_parser = non_negative_decimal, allow_negative_numbers = true)]
    pub ephemeral_storage: Option<Decimal>,

    /// Bill the smallest Fargate size that fits instead of rejecting a size Fargate does not offer
    #[arg(long)]
    pub round_up: bool,

    /// EC2 launch type: the instance type to place tasks on [default: the cheapest that fits]
    #[arg(long, value_name = "TYPE")]
    pub instance_type: Option<String>,

    /// EC2 launch type: a fixed number of instances instead of as few as hold the tasks
    #[arg(long, value_name = "N", value_parser = whole_number, allow_negative_numbers = true)]
    pub instances: Option<u64>,

    /// A name for the task in the report [default: task, or the task definition's family]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub task: TaskArgs,

    /// A workload file (TOML) with many services, EKS clusters and ECR repositories, or - for stdin
    /// (task definition paths are then relative to the current folder)
    #[arg(long, value_name = "FILE|-", conflicts_with_all = TASK_FLAGS)]
    pub workload: Option<PathBuf>,

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`), or - for stdin, instead of a
    /// workload file
    #[arg(long, value_name = "FILE|-", conflicts_with_all = TASK_FLAGS, conflicts_with = "workload")]
    pub terraform_plan: Option<PathBuf>,

    /// With --terraform-plan: a usage file (TOML) with what a plan cannot know
    #[arg(long, value_name = "FILE", requires = "terraform_plan")]
    pub usage: Option<PathBuf>,

    #[command(flatten)]
    pub pricing: PricingArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Under the table, each line's formula with the numbers put in, for both sides
    #[arg(long)]
    pub explain: bool,
}

/// A whole number of 1 or more.
pub fn whole_number(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err(format!("must be a whole number of 1 or more, got {text}")),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
            Err(format!("{text} is too large (at most {})", u64::MAX))
        }
        Err(_) => Err(format!("expected a whole number of 1 or more, got `{text}`")),
    }
}

/// A decimal greater than zero.
pub fn positive_decimal(text: &str) -> Result<Decimal, String> {
    let value = parse_decimal(text).map_err(|e| e.to_string())?;
    if value > Decimal::ZERO { Ok(value) } else { Err(format!("must be greater than 0, got {text}")) }
}

/// A decimal of zero or more.
pub fn non_negative_decimal(text: &str) -> Result<Decimal, String> {
    let value = parse_decimal(text).map_err(|e| e.to_string())?;
    if value.is_sign_negative() && !value.is_zero() {
        Err(format!("must be 0 or more, got {text}"))
    } else {
        Ok(value)
    }
}

/// `50` (USD) or `10%` (percent of the old total), zero or more.
pub fn increase_limit(text: &str) -> Result<Limit, String> {
    match text.trim().strip_suffix('%') {
        Some(percent) => non_negative_decimal(percent).map(Limit::Percent),
        None => non_negative_decimal(text).map(Limit::Usd),
    }
}
