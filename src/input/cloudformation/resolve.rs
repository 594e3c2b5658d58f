//! Evaluating a template's intrinsic functions statically, where the template alone decides the
//! value: `Ref` to a parameter (the value given, else its default) or a pseudo parameter the
//! reader knows, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` with
//! its condition (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). Anything decided
//! only at deployment (`Fn::ImportValue`, `Fn::GetAtt`, a resource's `Ref`, a parameter with no
//! value, an SSM parameter) is [`Unresolved`], with the reason: never guessed.
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html>

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Why a value cannot be known from the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved(pub String);

/// How deep intrinsic functions may nest (and conditions refer to conditions).
const MAX_DEPTH: usize = 64;

/// What a template's values are resolved against.
#[derive(Debug)]
pub struct Scope<'a> {
    pub parameters: &'a Map<String, Value>,
    pub given: &'a BTreeMap<String, String>,
    pub mappings: Option<&'a Map<String, Value>>,
    pub conditions: Option<&'a Map<String, Value>>,
    pub resources: &'a Map<String, Value>,
    pub region: Option<&'a str>,
}

type Resolved = Result<Value, Unresolved>;

fn unresolved<T>(why: impl Into<String>) -> Result<T, Unresolved> {
    Err(Unresolved(why.into()))
}

impl Scope<'_> {
    /// `value` with every intrinsic function in it evaluated; `Ref: AWS::NoValue` is `null`.
    pub fn resolve(&self, value: &Value) -> Resolved {
        self.value(value, 0)
    }

    /// Whether the condition named `name` holds.
    pub fn condition(&self, name: &str) -> Result<bool, Unresolved> {
        self.named_condition(name, 0)
    }

    fn value(&self, value: &Value, depth: usize) -> Resolved {
        if depth > MAX_DEPTH {
            return unresolved(format!("intrinsic functions nest more than {MAX_DEPTH} deep"));
        }
        match value {
            Value::Object(map) => {
                if let (1, Some((key, argument))) = (map.len(), map.iter().next())
                    && (key == "Ref" || key == "Condition" || key.starts_with("Fn::"))
                {
                    return self.function(key, argument, depth + 1);
                }
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.value(v, depth + 1)?)))
                    .collect::<Result<Map<_, _>, _>>()
                    .map(Value::Object)
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.value(item, depth + 1)? {
                        Value::Null => {} // `AWS::NoValue` in a list removes the item
                        v => out.push(v),
                    }
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    fn function(&self, name: &str, argument: &Value, depth: usize) -> Resolved {
        let args = || self.value(argument, depth);
        match name {
            "Ref" => match argument.as_str() {
                Some(target) => self.reference(target),
                None => unresolved("`Ref` of something that is not a name"),
            },
            "Fn::If" => match argument.as_array().map(Vec::as_slice) {
                Some([Value::String(condition), yes, no]) => {
                    let branch = if self.named_condition(condition, depth)? { yes } else { no };
                    self.value(branch, depth)
                }
                _ => unresolved("`Fn::If` needs [condition, value if true, value if false]"),
            },
            "Fn::Join" => match args()?.as_array().map(Vec::as_slice) {
                Some([Value::String(delimiter), Value::Array(parts)]) => {
                    let parts: Result<Vec<String>, _> = parts.iter().map(text).collect();
                    Ok(Value::String(parts?.join(delimiter)))
                }
                _ => unresolved("`Fn::Join` needs [delimiter, [values]]"),
            },
            "Fn::Select" => match args()?.as_array().map(Vec::as_slice) {
                Some([index, Value::Array(list)]) => {
                    let index = text(index)?.parse::<usize>().ok();
                    index
                        .and_then(|i| list.get(i))
                        .cloned()
                        .map_or_else(|| unresolved("`Fn::Select` index out of range"), Ok)
                }
                _ => unresolved("`Fn::Select` needs [index, [values]]"),
            },
            "Fn::Split" => match args()?.as_array().map(Vec::as_slice) {
                Some([Value::String(delimiter), Value::String(whole)]) if !delimiter.is_empty() => {
                    Ok(Value::Array(
                        whole.split(delimiter.as_str()).map(|s| Value::String(s.to_owned())).collect(),
                    ))
                }
                _ => unresolved("`Fn::Split` needs [delimiter, text]"),
            },
            "Fn::Sub" => self.substitute(argument, depth),
            "Fn::FindInMap" => match args()?.as_array().map(Vec::as_slice) {
                Some([map, top, second]) => {
                    let (map, top, second) = (text(map)?, text(top)?, text(second)?);
                    self.mappings
                        .and_then(|m| m.get(&map))
                        .and_then(|m| m.get(&top))
                        .and_then(|m| m.get(&second))
                        .cloned()
                        .map_or_else(
                            || unresolved(format!("`Fn::FindInMap` finds no {map}.{top}.{second}")),
                            Ok,
                        )
                }
                _ => unresolved("`Fn::FindInMap` needs [map, key, key]"),
            },
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                self.test(name, argument, depth).map(Value::Bool)
            }
            "Fn::ImportValue" => {
                let export = self.value(argument, depth).ok().and_then(|v| v.as_str().map(str::to_owned));
                unresolved(format!(
                    "it is `Fn::ImportValue` {}, another stack's export, known only once deployed",
                    export.map_or_else(String::new, |e| format!("`{e}`"))
                ))
            }
            "Fn::GetAtt" => {
                unresolved(format!("it is `Fn::GetAtt` {}, known only once deployed", get_att_name(argument)))
            }
            other => unresolved(format!("`{other}` is not evaluated statically")),
        }
    }

    fn reference(&self, target: &str) -> Resolved {
        if let Some(given) = self.given.get(target) {
            return Ok(Value::String(given.clone()));
        }
        if let Some(parameter) = self.parameters.get(target) {
            let kind = parameter.get("Type").and_then(Value::as_str).unwrap_or("String");
            if kind.starts_with("AWS::SSM::Parameter") {
                return unresolved(format!(
                    "parameter `{target}` is read from SSM Parameter Store at deployment: give --parameter {target}=VALUE"
                ));
            }
            return match parameter.get("Default") {
                Some(Value::String(s)) if kind.starts_with("List<") || kind == "CommaDelimitedList" => {
                    Ok(Value::Array(s.split(',').map(|p| Value::String(p.trim().to_owned())).collect()))
                }
                Some(default) => Ok(default.clone()),
                None => unresolved(format!(
                    "parameter `{target}` has no default: give --parameter {target}=VALUE"
                )),
            };
        }
        match target {
            "AWS::NoValue" => Ok(Value::Null),
            "AWS::Region" => self.region.map_or_else(
                || unresolved("`AWS::Region` is not known: give --region"),
                |r| Ok(Value::String(r.to_owned())),
            ),
            "AWS::Partition" => Ok(Value::String("aws".into())),
            "AWS::URLSuffix" => Ok(Value::String("amazonaws.com".into())),
            _ if self.resources.contains_key(target) => {
                unresolved(format!("it is the `Ref` of resource `{target}`, known only once deployed"))
            }
            _ if target.starts_with("AWS::") => unresolved(format!("`{target}` is known only once deployed")),
            _ if target
                .split_once('.')
                .is_some_and(|(resource, _)| self.resources.contains_key(resource)) =>
            {
                unresolved(format!("it is `{target}`, an attribute of a resource, known only once deployed"))
            }
            _ => unresolved(format!("`Ref` to `{target}`, which is neither a parameter nor a resource")),
        }
    }

    /// `Fn::Sub`'s text with each `${Name}` replaced (`${!Literal}` is `${Literal}`).
    fn substitute(&self, argument: &Value, depth: usize) -> Resolved {
        let (template, variables) = match argument {
            Value::String(s) => (s.as_str(), None),
            Value::Array(items) => match items.as_slice() {
                [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                _ => return unresolved("`Fn::Sub` needs text or [text, {variables}]"),
            },
            _ => return unresolved("`Fn::Sub` needs text or [text, {variables}]"),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { return unresolved("`Fn::Sub` has an unclosed `${`") };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let value = match variables.and_then(|v| v.get(name)) {
                    Some(v) => self.value(v, depth)?,
                    None if name.contains('.') => {
                        return unresolved(format!("`Fn::Sub` uses `${{{name}}}`, known only once deployed"));
                    }
                    None => self.reference(name)?,
                };
                out.push_str(&text(&value)?);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    fn named_condition(&self, name: &str, depth: usize) -> Result<bool, Unresolved> {
        match self.conditions.and_then(|c| c.get(name)) {
            Some(definition) if depth <= MAX_DEPTH => self.truth(definition, depth + 1),
            Some(_) => unresolved(format!("conditions refer to each other more than {MAX_DEPTH} deep")),
            None => unresolved(format!("condition `{name}` is not in the template's Conditions")),
        }
    }

    fn truth(&self, value: &Value, depth: usize) -> Result<bool, Unresolved> {
        match value {
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((name, argument)) => self.test(name, argument, depth),
                None => unresolved("an empty condition"),
            },
            Value::Bool(b) => Ok(*b),
            _ => unresolved("a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition"),
        }
    }

    fn test(&self, name: &str, argument: &Value, depth: usize) -> Result<bool, Unresolved> {
        if depth > MAX_DEPTH {
            return unresolved(format!("conditions nest more than {MAX_DEPTH} deep"));
        }
        let list = || argument.as_array().map_or(&[][..], Vec::as_slice);
        match name {
            "Condition" => match argument.as_str() {
                Some(other) => self.named_condition(other, depth),
                None => unresolved("`Condition` needs a condition's name"),
            },
            "Fn::Equals" => match list() {
                [a, b] => Ok(text(&self.value(a, depth)?)? == text(&self.value(b, depth)?)?),
                _ => unresolved("`Fn::Equals` needs two values"),
            },
            "Fn::Not" => match list() {
                [a] => Ok(!self.truth(a, depth + 1)?),
                _ => unresolved("`Fn::Not` needs one condition"),
            },
            "Fn::And" => list().iter().try_fold(true, |all, c| Ok(all && self.truth(c, depth + 1)?)),
            "Fn::Or" => list().iter().try_fold(false, |any, c| Ok(any || self.truth(c, depth + 1)?)),
            other => unresolved(format!("`{other}` is not a condition function")),
        }
    }
}

/// A scalar as text (`Fn::Join`, `Fn::Sub` and `Fn::Equals` compare and join text).
fn text(value: &Value) -> Result<String, Unresolved> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => unresolved("a list or map where text was expected"),
    }
}

/// `Resource.Attribute` of a `Fn::GetAtt` argument, for messages.
pub fn get_att_name(argument: &Value) -> String {
    match argument {
        Value::String(s) => format!("`{s}`"),
        Value::Array(parts) => {
            format!("`{}`", parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope_with<'a>(template: &'a Value, given: &'a BTreeMap<String, String>) -> Scope<'a> {
        let empty = template["Empty"].as_object().unwrap();
        Scope {
            parameters: template["Parameters"].as_object().unwrap_or(empty),
            given,
            mappings: template["Mappings"].as_object(),
            conditions: template["Conditions"].as_object(),
            resources: template["Resources"].as_object().unwrap_or(empty),
            region: Some("eu-west-1"),
        }
    }

    #[test]
    fn parameters_conditions_and_text_functions() {
        let template = json!({
            "Empty": {},
            "Parameters": {"Cpu": {"Type": "Number", "Default": 256}, "Env": {"Type": "String", "Default": "prod"},
                           "NoDefault": {"Type": "String"}, "Ssm": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/x"}},
            "Mappings": {"Sizes": {"prod": {"Cpu": "1024"}}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}},
            "Resources": {"Service": {"Type": "AWS::ECS::Service"}}
        });
        let given = BTreeMap::new();
        let scope = scope_with(&template, &given);
        let resolve = |v: Value| scope.resolve(&v);
        assert_eq!(resolve(json!({"Ref": "Cpu"})), Ok(json!(256)));
        assert_eq!(
            resolve(
                json!({"Fn::If": ["IsProd", {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Cpu"]}, "256"]})
            ),
            Ok(json!("1024"))
        );
        assert_eq!(resolve(json!({"Fn::If": ["NotProd", 1, {"Ref": "AWS::NoValue"}]})), Ok(Value::Null));
        assert_eq!(
            resolve(json!({"Fn::Sub": "${Env}-${AWS::Region}-${!Literal}"})),
            Ok(json!("prod-eu-west-1-${Literal}"))
        );
        assert_eq!(resolve(json!({"Fn::Sub": ["${A}x", {"A": {"Ref": "Env"}}]})), Ok(json!("prodx")));
        assert_eq!(resolve(json!({"Fn::Join": ["-", ["a", {"Ref": "Cpu"}]]})), Ok(json!("a-256")));
        assert_eq!(resolve(json!({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]})), Ok(json!("b")));
        assert_eq!(resolve(json!(["a", {"Ref": "AWS::NoValue"}])), Ok(json!(["a"])));
        for (value, why) in [
            (json!({"Ref": "NoDefault"}), "--parameter NoDefault=VALUE"),
            (json!({"Ref": "Ssm"}), "SSM Parameter Store"),
            (json!({"Ref": "Service"}), "resource `Service`"),
            (json!({"Fn::ImportValue": {"Fn::Sub": "${Env}:Cluster"}}), "`prod:Cluster`"),
            (json!({"Fn::GetAtt": ["Service", "Name"]}), "`Service.Name`"),
            (json!({"Fn::If": ["Missing", 1, 2]}), "condition `Missing`"),
            (json!({"Fn::Base64": "x"}), "`Fn::Base64`"),
        ] {
            let Err(Unresolved(reason)) = resolve(value.clone()) else { panic!("{value} resolved") };
            assert!(reason.contains(why), "{value}: {reason}");
        }
        // A given value wins over the default.
        let given = BTreeMap::from([("Env".to_owned(), "dev".to_owned())]);
        let scope = scope_with(&template, &given);
        assert_eq!(scope.condition("IsProd"), Ok(false));
    }

    #[test]
    fn self_referring_conditions_end() {
        let template = json!({"Empty": {}, "Conditions": {"A": {"Condition": "B"}, "B": {"Condition": "A"}}});
        let given = BTreeMap::new();
        assert!(scope_with(&template, &given).condition("A").is_err());
    }
}
