//! What a description of deployed infrastructure holds once read, whatever its format (a Terraform
//! plan, `describe-services` output, an `AWS::CloudFormation` template): the items to price, and what the
//! report must say it left out or assumed.

use crate::input::TaskInput;
use crate::input::capacity::Part;
use crate::input::task_definition::TaskDefinition;
use crate::model::{EcrRepository, EksCluster, Skipped, Unpriced};

/// The items of one input, and its coverage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// The region the input states (a provider's, a stack's environment), if any.
    pub region: Option<String>,
    pub services: Vec<Service>,
    pub clusters: Vec<(String, EksCluster)>,
    pub repositories: Vec<(String, EcrRepository)>,
    /// What the input has that cannot be priced from it, with the fix.
    pub unpriced: Vec<Unpriced>,
    /// Resources of kinds `cost` does not price (and services that run no task).
    pub skipped: Vec<Skipped>,
    /// Every value the input could not give and that was assumed.
    pub assumptions: Vec<String>,
}

/// An ECS service: its item name, its keys as a workload `[[service]]` would give them, and its task
/// definition when the keys leave the size to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub input: TaskInput,
    pub definition: Option<TaskDefinition>,
}

impl Service {
    /// A service's parts (as `capacity::parts` splits it), each priced with its task definition.
    pub fn from_parts(parts: Vec<Part>, definition: &TaskDefinition) -> Vec<Service> {
        parts
            .into_iter()
            .map(|(name, launch_type, pricing, count)| Service {
                input: TaskInput {
                    name: Some(name.clone()),
                    launch_type: Some(launch_type),
                    count: Some(count),
                    pricing: (pricing == crate::model::Pricing::Spot).then_some(pricing),
                    ..TaskInput::default()
                },
                name,
                definition: Some(definition.clone()),
            })
            .collect()
    }
}
