//! Regressions: each crash or hang found by this harness or the fuzz targets, as a plain test.

use super::*;

/// A module `m` whose input variable `v` is set from `m`'s own output `o`, and whose output is
/// `v`: a cycle Terraform itself would reject, but `cost` reads plan JSON it did not check. With
/// two references at each step, `Reader::resolve` (src/terraform/mod.rs) followed both every time
/// round the cycle until `MAX_DEPTH` (32): some 2^33 calls, about an hour of CPU, so
/// `cost estimate --terraform-plan` on this 700-byte plan hung instead of skipping the service
/// (three references at each step: years). Each (module, reference) pair is now followed once.
fn reference_cycle_plan() -> String {
    json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "child_modules": [{ "address": "module.m", "resources": [
            { "address": "module.m.aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
              "values": { "desired_count": 1, "launch_type": "FARGATE" } },
        ]}]}},
        "configuration": { "root_module": { "module_calls": { "m": {
            "source": "./m",
            "expressions": { "v": { "references": ["module.m.o", "module.m.o"] } },
            "module": {
                "resources": [{ "address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
                                "expressions": { "task_definition": { "references": ["var.v"] } } }],
                "outputs": { "o": { "expression": { "references": ["var.v", "var.v"] } } },
            },
        }}}},
    })
    .to_string()
}

#[test]
fn a_reference_cycle_through_a_module_output_and_variable_is_read_quickly() {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        let _ = send.send(cost::input::terraform::parse(
            &reference_cycle_plan(),
            &cost::input::terraform::Usage::default(),
            None,
        ));
    });
    let plan = receive.recv_timeout(Duration::from_secs(10)).expect("reading the plan took over 10 s");
    // Nothing the service refers to is a task definition: it is unpriced, saying so.
    let plan = plan.unwrap();
    assert!(plan.services.is_empty());
    assert_eq!(plan.unpriced[0].name, "module.m.aws_ecs_service.s");
}
