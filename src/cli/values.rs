//! The library's enums as clap flag values.

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::model::{Arch, LaunchType, Os, Platform, Pricing};
use crate::render::Format;

/// The library's enums as flag values (clap stays in the CLI): each variant by its name, with a
/// help line where one says more than the name.
macro_rules! value_enum {
    ($($ty:ty { $($variant:ident => $name:literal $(($help:literal))?),* })*) => {$(
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$(<$ty>::$variant),*]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $(<$ty>::$variant => PossibleValue::new($name)$(.help($help))?),*
                })
            }
        }
    )*};
}

value_enum! {
    Arch { X86_64 => "x86_64", Arm64 => "arm64" }
    Os { Linux => "linux", Windows => "windows" }
    LaunchType { Fargate => "fargate", Ec2 => "ec2" }
    Platform { Ecs => "ecs", Eks => "eks" }
    Pricing {
        OnDemand => "on-demand",
        Spot => "spot",
        SavingsPlan1y => "savings-plan-1y" ("A one-year Compute Savings Plan, no upfront"),
        SavingsPlan3y => "savings-plan-3y" ("A three-year Compute Savings Plan, no upfront")
    }
    Format { Table => "table", Json => "json", Csv => "csv", Markdown => "markdown" }
}
