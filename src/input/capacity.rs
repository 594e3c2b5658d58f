//! Where an ECS service's tasks run, the same for every input that describes services (Terraform
//! plans, CloudFormation templates, `describe-services` output): a launch type, or a capacity
//! provider strategy whose `FARGATE` and `FARGATE_SPOT` shares are split as ECS splits them.
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html>

use crate::input::{LaunchWhy, TaskDefinition};
use crate::model::{LaunchType, Pricing};

/// The fix where `cost` has none to offer.
pub const ACCEPT_THE_GAP: &str = "none that `cost` offers: it does not price this";

/// Why a DAEMON service is not priced, whatever the input.
pub const DAEMON: &str =
    "a DAEMON service runs one task on each container instance: its cost is that of the instances";

/// A capacity provider strategy entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub provider: String,
    pub base: u64,
    pub weight: u64,
}

/// How a service's tasks are placed: a launch type (with a note when it was not stated), or a
/// Fargate strategy (with where it comes from, for the notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    Launch(LaunchType, Option<String>),
    Strategy(Vec<Share>, String),
}

/// The placement of a launch type a service states, as ECS spells it (`key` names the field in
/// messages): Fargate only for a task definition that allows it, as ECS would refuse it otherwise.
/// The error is why it is not priced, and the fix.
pub fn stated(
    launch: &str,
    key: &str,
    compatibilities: &[String],
) -> Result<Placement, (String, &'static str)> {
    let given = |launch_type| {
        crate::input::launch_type(Some(launch_type), compatibilities, LaunchType::Ec2)
            .map(|_| Placement::Launch(launch_type, None))
            .map_err(|e| (e.to_string(), "ECS would refuse it: correct the launch type"))
    };
    match launch {
        "FARGATE" => given(LaunchType::Fargate),
        "EC2" => given(LaunchType::Ec2),
        "EXTERNAL" => Err((
            "launch type EXTERNAL (ECS Anywhere) bills per registered instance, which `cost` does not price"
                .into(),
            ACCEPT_THE_GAP,
        )),
        other => {
            Err((format!("unknown {key} `{other}`"), "use FARGATE, EC2 or a capacity provider strategy"))
        }
    }
}

/// The placement a strategy from `from` (`its capacity_provider_strategy`) gives: Fargate's
/// shares, or the EC2 launch type for Auto Scaling group providers. A strategy that mixes the two
/// is refused with the reason.
pub fn placement_of(shares: Vec<Share>, from: String) -> Result<Placement, String> {
    let fargate = |s: &Share| s.provider == "FARGATE" || s.provider == "FARGATE_SPOT";
    if shares.iter().all(fargate) {
        Ok(Placement::Strategy(shares, from))
    } else if shares.iter().any(fargate) {
        Err(format!("{from} mixes Fargate and Auto Scaling group capacity providers"))
    } else {
        let names: Vec<&str> = shares.iter().map(|s| s.provider.as_str()).collect();
        Ok(Placement::Launch(
            LaunchType::Ec2,
            Some(format!("{from} uses capacity provider(s) {}: the EC2 launch type", names.join(", "))),
        ))
    }
}

/// The placement of a service that states neither a launch type nor a strategy, and whose cluster
/// has no default strategy: the rule every input follows, with ECS's own default for a service
/// (the EC2 launch type). The error is why ECS would not run it.
pub fn unstated(definition: &TaskDefinition) -> Result<Placement, String> {
    let choice = crate::input::launch_type(None, &definition.requires_compatibilities, LaunchType::Ec2)
        .map_err(|e| e.to_string())?;
    let note = match (choice.launch_type, choice.why) {
        (LaunchType::Fargate, _) => {
            "no launch type or capacity provider strategy is known: Fargate, as its task definition requires"
        }
        (LaunchType::Ec2, LaunchWhy::Required) => {
            "no launch type or capacity provider strategy is known: the EC2 launch type, as its task definition requires"
        }
        (LaunchType::Ec2, _) => {
            "no launch type, capacity provider strategy or cluster default is known: ECS uses the EC2 launch type"
        }
    };
    Ok(Placement::Launch(choice.launch_type, Some(note.into())))
}

/// One part of a service as priced: its item name, launch type, pricing and task count.
pub type Part = (String, LaunchType, Pricing, u64);

/// A service of `count` tasks named `name` as the parts it is priced in (one, or a `FARGATE` and a
/// `FARGATE_SPOT` part, each named with its provider), and the note on how they were chosen. The
/// error is why the strategy places no task.
pub fn parts(name: &str, count: u64, placement: Placement) -> Result<(Vec<Part>, Option<String>), String> {
    match placement {
        Placement::Launch(launch_type, note) => {
            Ok((vec![(name.to_owned(), launch_type, Pricing::OnDemand, count)], note))
        }
        Placement::Strategy(shares, from) => {
            let (on_demand, spot, note) = split(count, &shares).map_err(|e| format!("{e} ({from})"))?;
            let named = |provider: &str| {
                if on_demand > 0 && spot > 0 { format!("{name} ({provider})") } else { name.to_owned() }
            };
            let mut out = Vec::new();
            if on_demand > 0 {
                out.push((named("FARGATE"), LaunchType::Fargate, Pricing::OnDemand, on_demand));
            }
            if spot > 0 {
                out.push((named("FARGATE_SPOT"), LaunchType::Fargate, Pricing::Spot, spot));
            }
            Ok((out, Some(format!("{note} ({from})"))))
        }
    }
}

/// Splits `count` tasks between `FARGATE` and `FARGATE_SPOT` as ECS does: each provider's `base`
/// first (in strategy order, up to the count), then the rest by `weight`. The on-demand share of
/// the rest is rounded up to whole tasks (the dearer side, so the estimate is not low), Spot gets
/// what is left. Returns (on demand, Spot, how).
pub fn split(count: u64, shares: &[Share]) -> Result<(u64, u64, String), String> {
    let spot = |s: &Share| s.provider == "FARGATE_SPOT";
    let mut left = count;
    let (mut on_demand, mut on_spot) = (0u64, 0u64);
    for share in shares {
        let base = share.base.min(left);
        left -= base;
        if spot(share) { on_spot += base } else { on_demand += base }
    }
    let based = count - left;
    let weight = |want_spot: bool| -> u128 {
        shares.iter().filter(|s| spot(s) == want_spot).map(|s| u128::from(s.weight)).sum()
    };
    let (od_weight, spot_weight) = (weight(false), weight(true));
    let total_weight = od_weight + spot_weight;
    if left > 0 && total_weight == 0 {
        return Err(format!(
            "its capacity provider weights are all 0, so {left} task(s) beyond the base have nowhere to run"
        ));
    }
    let extra_on_demand = if left == 0 {
        0
    } else {
        let rounded_up = (u128::from(left) * od_weight).div_ceil(total_weight);
        u64::try_from(rounded_up).unwrap_or(left).min(left)
    };
    on_demand += extra_on_demand;
    on_spot += left - extra_on_demand;
    let how = format!(
        "{count} task(s) split by capacity provider: base {based} first, then {left} by weight FARGATE {od_weight} : \
         FARGATE_SPOT {spot_weight}, the on-demand share rounded up to whole tasks: {on_demand} on FARGATE, {on_spot} on FARGATE_SPOT"
    );
    Ok((on_demand, on_spot, how))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stated_launch_type_as_ecs_spells_it() {
        assert_eq!(stated("FARGATE", "launchType", &[]), Ok(Placement::Launch(LaunchType::Fargate, None)));
        assert_eq!(
            stated("EC2", "launchType", &["FARGATE".into()]),
            Ok(Placement::Launch(LaunchType::Ec2, None))
        );
        let refused = stated("FARGATE", "launchType", &["EC2".into()]).unwrap_err();
        assert_eq!(refused.1, "ECS would refuse it: correct the launch type");
        assert!(stated("EXTERNAL", "launchType", &[]).unwrap_err().0.contains("ECS Anywhere"));
        assert_eq!(stated("LAMBDA", "launch_type", &[]).unwrap_err().0, "unknown launch_type `LAMBDA`");
    }

    fn share(provider: &str, base: u64, weight: u64) -> Share {
        Share { provider: provider.into(), base, weight }
    }

    #[test]
    fn splits_base_first_then_by_weight_rounding_on_demand_up() {
        let shares = [share("FARGATE", 1, 1), share("FARGATE_SPOT", 0, 3)];
        assert_eq!(split(5, &shares).map(|(a, b, _)| (a, b)), Ok((2, 3)));
        // 3 left at 1 : 3: ⌈0.75⌉ = 1 on demand.
        assert_eq!(split(4, &shares).map(|(a, b, _)| (a, b)), Ok((2, 2)));
        // The base is capped at the count.
        assert_eq!(split(1, &[share("FARGATE_SPOT", 5, 1)]).map(|(a, b, _)| (a, b)), Ok((0, 1)));
        assert_eq!(split(3, &[share("FARGATE_SPOT", 0, 1)]).map(|(a, b, _)| (a, b)), Ok((0, 3)));
        assert!(split(3, &[share("FARGATE", 1, 0), share("FARGATE_SPOT", 0, 0)]).is_err());
        assert_eq!(
            split(u64::MAX, &[share("FARGATE", 0, u64::MAX), share("FARGATE_SPOT", 0, 1)])
                .map(|(a, b, _)| a + b),
            Ok(u64::MAX)
        );
    }
}
