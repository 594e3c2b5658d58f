use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;

fn options(parameters: &BTreeMap<String, String>) -> Options<'_> {
    Options { parameters, region: None, today: None, nested: None }
}

#[test]
fn short_forms_are_their_long_forms() {
    let template = read_template(
        "Resources:\n  A:\n    Type: X\n    Properties:\n      B: !GetAtt Role.Arn\n      C: !GetAtt [Role, Arn]\n      \
         D: !Select [0, !GetAZs '']\n      E: !Condition Big\n",
    )
    .unwrap();
    let props = &template["Resources"]["A"]["Properties"];
    assert_eq!(props["B"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
    assert_eq!(props["C"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
    assert_eq!(props["D"], json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
    assert_eq!(props["E"], json!({"Condition": "Big"}));
}

#[test]
fn recognises_templates() {
    assert!(looks_like_template("{\"Resources\": {}}"));
    assert!(looks_like_template("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: X}\n"));
    assert!(!looks_like_template("{\"format_version\": \"1.2\", \"planned_values\": {}}"));
    assert!(!looks_like_template("[[service]]\nvcpu = 1\n"));
    assert!(!looks_like_template("{\"Resources\": [1]}"));
}

#[test]
fn a_stack_follows_its_nested_stacks_with_the_parameters_it_passes() {
    let files: BTreeMap<&str, String> = BTreeMap::from([
        (
            "manifest.json",
            json!({"artifacts": {
                "Main": {"type": "aws:cloudformation:stack", "environment": "aws://123/eu-west-1",
                         "properties": {"templateFile": "Main.template.json"}},
                "Tree": {"type": "cdk:tree"}}})
            .to_string(),
        ),
        (
            "Main.template.json",
            json!({"Parameters": {"Count": {"Type": "Number", "Default": 3}},
                   "Resources": {"Web": {"Type": "AWS::CloudFormation::Stack",
                       "Metadata": {"aws:asset:path": "MainWeb.nested.template.json"},
                       "Properties": {"Parameters": {"Tasks": {"Ref": "Count"}}}}}})
            .to_string(),
        ),
        (
            "MainWeb.nested.template.json",
            json!({"Parameters": {"Tasks": {"Type": "Number", "Default": 1}},
                   "Resources": {
                       "Task": {"Type": "AWS::ECS::TaskDefinition",
                                "Properties": {"Cpu": "256", "Memory": "512", "RequiresCompatibilities": ["FARGATE"]}},
                       "Service": {"Type": "AWS::ECS::Service",
                                   "Properties": {"LaunchType": "FARGATE", "DesiredCount": {"Ref": "Tasks"},
                                                  "TaskDefinition": {"Ref": "Task"}}}}})
            .to_string(),
        ),
    ]);
    let read = |path: &str| files.get(path).cloned().ok_or_else(|| format!("no {path}"));
    let given = BTreeMap::new();
    let inventory = cdk::read(&read, options(&given)).unwrap();
    assert_eq!(inventory.region.as_deref(), Some("eu-west-1"));
    let [service] = inventory.services.as_slice() else { panic!("{:?}", inventory.services) };
    assert_eq!(service.name, "Main/Web/Service");
    // The nested stack's Tasks is the 3 its parent passes, not its own default of 1.
    assert_eq!(service.input.count, Some(3));
    assert_eq!(service.definition.as_ref().and_then(|d| d.vcpu), Some(rust_decimal::Decimal::new(25, 2)));
}

#[test]
fn a_nested_stack_without_its_template_is_skipped_and_one_that_nests_itself_ends() {
    let template = json!({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack",
        "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/child.yaml"}}}});
    let given = BTreeMap::new();
    let mut inventory = Inventory::default();
    add_template(&template, "", options(&given), 0, &mut inventory).unwrap();
    assert!(inventory.skipped[0].reason.contains("not at hand"));
    // A template whose nested stack is itself: read MAX_NESTING levels down, then listed.
    let looped = json!({"Resources": {"Again": {"Type": "AWS::CloudFormation::Stack",
        "Metadata": {"aws:asset:path": "self.json"}}}})
    .to_string();
    let read = |_: &str| Ok(looped.clone());
    let value: Value = serde_json::from_str(&looped).unwrap();
    let mut inventory = Inventory::default();
    add_template(&value, "", Options { nested: Some(&read), ..options(&given) }, 0, &mut inventory).unwrap();
    let [skipped] = inventory.skipped.as_slice() else { panic!("{:?}", inventory.skipped) };
    assert_eq!(skipped.name.matches("Again/").count(), MAX_NESTING);
}

#[test]
fn a_resource_whose_condition_cannot_be_known_is_unpriced() {
    let template = read_template(
        "Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\nResources:\n  \
         Repo:\n    Type: AWS::ECR::Repository\n    Condition: Prod\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Condition: Prod\n",
    )
    .unwrap();
    let given = BTreeMap::new();
    let mut inventory = Inventory::default();
    add_template(&template, "", options(&given), 0, &mut inventory).unwrap();
    assert!(inventory.unpriced[0].reason.contains("--parameter Env=VALUE"), "{:?}", inventory.unpriced);
    assert_eq!(inventory.skipped[0].name, "Logs");
    // Given, it decides: not prod, so neither is created.
    let given = BTreeMap::from([("Env".to_owned(), "dev".to_owned())]);
    let mut inventory = Inventory::default();
    add_template(&template, "", options(&given), 0, &mut inventory).unwrap();
    assert!(inventory.unpriced.is_empty());
    assert!(inventory.skipped.iter().all(|s| s.reason.contains("is false")));
}

#[test]
fn nested_stacks_that_multiply_are_refused() {
    // Ten nested stacks, each the same template again: 10^8 templates at depth 8, refused.
    let resources: serde_json::Map<String, Value> = (0..10)
        .map(|i| {
            (
                format!("N{i}"),
                json!({"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "t.json"}}),
            )
        })
        .collect();
    let template = json!({"Resources": resources}).to_string();
    let manifest = json!({"artifacts": {"S": {"type": "aws:cloudformation:stack",
        "properties": {"templateFile": "t.json"}}}})
    .to_string();
    let read = |path: &str| Ok(if path == "manifest.json" { manifest.clone() } else { template.clone() });
    let given = BTreeMap::new();
    let err = cdk::read(&read, options(&given)).unwrap_err().to_string();
    assert!(err.contains("more than 1000 templates"), "{err}");
}
