//! Walking a plan: its resource instances (through modules, `count` and `for_each`), its
//! configuration modules, and the links its expressions' `references` make between resources,
//! followed through module outputs and input variables.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::index::{self, Place};
use super::{MAX_DEPTH, PlanError, Reader, field};
use crate::input::task_definition::kind;

/// One resource instance of `planned_values`.
pub(super) struct Instance<'a> {
    pub(super) address: String,
    /// The module instance it is in (`module.api["a"]`), empty at the root.
    pub(super) module: String,
    /// `module` without instance keys (`module.api`): the configuration module.
    pub(super) module_path: String,
    pub(super) resource_type: &'a str,
    pub(super) name: &'a str,
    pub(super) index: Option<&'a Value>,
    pub(super) values: Option<&'a Map<String, Value>>,
}

impl<'a> Instance<'a> {
    pub(super) fn value(&self, key: &str) -> Option<&'a Value> {
        self.values.and_then(|v| v.get(key)).filter(|v| !v.is_null())
    }

    pub(super) fn string(&self, key: &str) -> Option<&'a str> {
        self.value(key).and_then(Value::as_str).filter(|s| !s.is_empty())
    }
}

pub(super) fn collect_instances<'a>(
    module: &'a Value,
    path: &str,
    module_address: &str,
    depth: u32,
    out: &mut Vec<Instance<'a>>,
) -> Result<(), PlanError> {
    if depth > MAX_DEPTH {
        return Err(field(path, "modules nest too deeply".into()));
    }
    let module =
        module.as_object().ok_or_else(|| field(path, format!("expected an object, got {}", kind(module))))?;
    for (i, resource) in array(module.get("resources"), &format!("{path}.resources"))?.iter().enumerate() {
        let at = format!("{path}.resources[{i}]");
        let object = resource
            .as_object()
            .ok_or_else(|| field(&at, format!("expected an object, got {}", kind(resource))))?;
        let text = |key: &str| -> Result<&'a str, PlanError> {
            match object.get(key) {
                Some(Value::String(s)) => Ok(s),
                Some(other) => {
                    Err(field(&format!("{at}.{key}"), format!("expected a string, got {}", kind(other))))
                }
                None => Err(field(&at, format!("has no `{key}`"))),
            }
        };
        let (address, mode, resource_type, name) =
            (text("address")?, text("mode")?, text("type")?, text("name")?);
        let values = match object.get("values") {
            None | Some(Value::Null) => None,
            Some(Value::Object(v)) => Some(v),
            Some(other) => {
                return Err(field(
                    &format!("{at}.values"),
                    format!("expected an object, got {}", kind(other)),
                ));
            }
        };
        if mode != "managed" {
            continue;
        }
        out.push(Instance {
            address: address.to_owned(),
            module: module_address.to_owned(),
            module_path: strip_keys(module_address),
            resource_type,
            name,
            index: object.get("index").filter(|i| !i.is_null()),
            values,
        });
    }
    for (i, child) in array(module.get("child_modules"), &format!("{path}.child_modules"))?.iter().enumerate()
    {
        let at = format!("{path}.child_modules[{i}]");
        let address = match child.get("address") {
            Some(Value::String(a)) => a.as_str(),
            _ => return Err(field(&at, "has no `address` string".into())),
        };
        collect_instances(child, &at, address, depth + 1, out)?;
    }
    Ok(())
}

fn array<'a>(value: Option<&'a Value>, path: &str) -> Result<&'a [Value], PlanError> {
    match value {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(field(path, format!("expected an array, got {}", kind(other)))),
    }
}

/// Every configuration module by its path (`""`, `module.api`, `module.api.module.inner`).
pub(super) fn collect_modules<'a>(
    module: &'a Value,
    path: &str,
    module_path: String,
    depth: u32,
    out: &mut BTreeMap<String, &'a Map<String, Value>>,
) -> Result<(), PlanError> {
    if depth > MAX_DEPTH {
        return Err(field(path, "modules nest too deeply".into()));
    }
    let object =
        module.as_object().ok_or_else(|| field(path, format!("expected an object, got {}", kind(module))))?;
    if let Some(calls) = object.get("module_calls").filter(|c| !c.is_null()) {
        let calls = calls.as_object().ok_or_else(|| {
            field(&format!("{path}.module_calls"), format!("expected an object, got {}", kind(calls)))
        })?;
        for (name, call) in calls {
            if let Some(child) = call.get("module") {
                let child_path = join(&module_path, &format!("module.{name}"));
                collect_modules(
                    child,
                    &format!("{path}.module_calls.{name}.module"),
                    child_path,
                    depth + 1,
                    out,
                )?;
            }
        }
    }
    out.insert(module_path, object);
    Ok(())
}

pub(super) fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() { child.to_owned() } else { format!("{parent}.{child}") }
}

/// An address without its instance keys: `module.a["x"].aws_ecs_service.s[0]` →
/// `module.a.aws_ecs_service.s`. Quoted keys may hold brackets and dots.
pub fn strip_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let (mut depth, mut quoted, mut escaped) = (0u32, false, false);
    for c in address.chars() {
        if depth > 0 {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth -= 1,
                _ => {}
            }
        } else if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// The strings of an expression's `references`.
pub(super) fn references(expressions: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
    expressions
        .and_then(|e| e.get(key))
        .and_then(|e| e.get("references"))
        .and_then(Value::as_array)
        .map(|refs| refs.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

impl<'a> Reader<'a> {
    /// The resource blocks of type `want` that `reference` (made in module `scope`) points to, as
    /// `(module path, name)`, following module outputs and input variables. `seen` holds the
    /// `(scope, reference)` pairs already followed: each is followed once, so references that
    /// loop through outputs and variables (found while writing the fuzz generator) cost linear, not exponential, time.
    pub(super) fn resolve(&self, scope: &str, reference: &str, want: &str, depth: u32, found: &mut Found) {
        if depth > MAX_DEPTH || !found.seen.insert((scope.to_owned(), reference.to_owned())) {
            return;
        }
        let out = &mut found.targets;
        let segments: Vec<String> = reference.split('.').map(strip_keys).collect();
        let segment = |i: usize| segments.get(i).map(String::as_str);
        match (segment(0), segment(1), segment(2)) {
            (Some(t), Some(name), _) if t == want => {
                out.insert((scope.to_owned(), name.to_owned()));
            }
            (Some("module"), Some(call), Some(output)) => {
                let child = join(scope, &format!("module.{call}"));
                let refs = self
                    .modules
                    .get(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                    .and_then(|e| e.get("references"))
                    .and_then(Value::as_array);
                for r in refs.into_iter().flatten().filter_map(Value::as_str) {
                    self.resolve(&child, r, want, depth + 1, found);
                }
            }
            (Some("var"), Some(variable), _) => {
                let Some((parent, call)) = scope.rsplit_once("module.") else { return };
                let parent = parent.strip_suffix('.').unwrap_or(parent);
                let expressions = self
                    .modules
                    .get(parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|c| c.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(Value::as_object);
                for r in references(expressions, variable) {
                    self.resolve(parent, &r, want, depth + 1, found);
                }
            }
            _ => {}
        }
    }

    /// The instances of type `want` that the expression `key` of `from` refers to; with several
    /// (`count`, `for_each`), the one with `from`'s module instance and index if there is one.
    ///
    /// The instances are counted in the index and only those returned are gathered: a `count` or
    /// `for_each` of many services, each linked to its own task definition, reads in linear time.
    pub(super) fn linked(&self, from: &Instance<'_>, key: &str, want: &str) -> Vec<&Instance<'a>> {
        let expressions = self.index.config(&from.module_path, from.resource_type, from.name);
        let mut found = Found::default();
        for r in references(expressions, key) {
            self.resolve(&from.module_path, &r, want, 0, &mut found);
        }
        let blocks: Vec<&index::Block> =
            found.targets.iter().filter_map(|(m, n)| self.index.block(m, want, n)).collect();
        let at = |place| blocks.iter().flat_map(move |b| b.at(place, from, &self.instances)).copied();
        // Of several, those in `from`'s module instance (the one with its index, if one is),
        // else the one with its index, else all.
        let place = if at(Place::All).count() <= 1 {
            Place::All
        } else if at(Place::Module).next().is_some() {
            if at(Place::Both).count() == 1 { Place::Both } else { Place::Module }
        } else if at(Place::Index).count() == 1 {
            Place::Index
        } else {
            Place::All
        };
        let mut at: Vec<usize> = at(place).collect();
        at.sort_unstable();
        at.into_iter().map(|i| &self.instances[i]).collect()
    }

    /// The `aws_ecs_cluster_capacity_providers` instances of each cluster, by its address: found
    /// once, not for each service.
    pub(super) fn cluster_providers(&self) -> HashMap<String, Vec<usize>> {
        let mut providers: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, instance) in self.instances.iter().enumerate() {
            if instance.resource_type != "aws_ecs_cluster_capacity_providers" {
                continue;
            }
            for cluster in self.linked(instance, "cluster_name", "aws_ecs_cluster") {
                let of_cluster = providers.entry(cluster.address.clone()).or_default();
                if of_cluster.last() != Some(&at) {
                    of_cluster.push(at);
                }
            }
        }
        providers
    }
}

/// What [`Reader::resolve`] found: the resource blocks, as `(module path, name)`, and the
/// `(scope, reference)` pairs it has followed.
#[derive(Default)]
pub(super) struct Found {
    pub(super) targets: BTreeSet<(String, String)>,
    pub(super) seen: BTreeSet<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_instance_keys_even_with_brackets_in_quotes() {
        assert_eq!(strip_keys("module.a[\"x\"].aws_ecs_service.s[0]"), "module.a.aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s[\"a]b.c\"]"), "aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s[\"q\\\"]\"]"), "aws_ecs_service.s");
        assert_eq!(strip_keys("aws_ecs_service.s"), "aws_ecs_service.s");
    }
}
